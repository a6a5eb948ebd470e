package dev.facerec.recognition.lambda;

import static dev.facerec.recognition.lambda.PipelineExtension.FUNCTION;
import static dev.facerec.recognition.lambda.PipelineExtension.INPUT;
import static dev.facerec.recognition.lambda.PipelineExtension.OUTPUT;
import static dev.facerec.recognition.lambda.PipelineExtension.STAGE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.common.testing.CourseWorkload;
import dev.facerec.common.testing.WireLambdaEndpoint;
import dev.facerec.splitter.lambda.SampleEvents;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The course's graded workload end to end: 100 videos uploaded to S3Mock, the splitter handler run per S3 event, its
 * async invoke taken off the wire and delivered to the face-recognition handler, the gallery enrolled from the seed
 * photos. The grader wants every name right and a frame per video.
 */
class CourseWorkloadTest {
    @RegisterExtension
    static final PipelineExtension FIRST = PipelineExtension.withSeedGallery();

    @Test
    void all100GradedVideosGetTheGradersNames() {
        assertAll100Right(FIRST);
    }

    /** The graded videos one by one through {@code pipeline}'s two functions: every name right, a frame for each. */
    static void assertAll100Right(PipelineExtension pipeline) {
        List<CourseWorkload.Video> workload = CourseWorkload.graded();
        assertThat(workload).hasSize(100);
        List<String> wrong = new ArrayList<>();
        for (CourseWorkload.Video video : workload) {
            pipeline.s3().putObject(b -> b.bucket(INPUT).key(video.name()), RequestBody.fromFile(video.source()));
            pipeline.lambda().clear();

            pipeline.splitter().handleRequest(SampleEvents.putEvent(video.name()), null);

            assertThat(pipeline.lambda().requests()).as("one async invoke for %s", video.name()).hasSize(1);
            WireLambdaEndpoint.Request invoke = pipeline.lambda().requests().get(0);
            assertThat(invoke.path()).isEqualTo("/2015-03-31/functions/" + FUNCTION + "/invocations");
            assertThat(invoke.header("X-Amz-Invocation-Type")).isEqualTo("Event");
            pipeline.recognizer().handleRequest(RecognitionFixture.message(invoke.body()), null);

            String stem = video.name().replace(".mp4", "");
            String name = pipeline.s3().getObjectAsBytes(b -> b.bucket(OUTPUT).key(stem + ".txt")).asUtf8String();
            if (!name.equals(video.expectedName())) {
                wrong.add(video.name() + ": " + name + " (expected " + video.expectedName() + ")");
            }
            assertThat(pipeline.s3().headObject(b -> b.bucket(STAGE).key(stem + ".jpg")).contentType())
                    .isEqualTo("image/jpeg");
        }
        System.out.printf("course workload: %d/%d names right%n", workload.size() - wrong.size(), workload.size());
        assertThat(wrong).as("videos named wrongly").isEmpty();
    }
}
