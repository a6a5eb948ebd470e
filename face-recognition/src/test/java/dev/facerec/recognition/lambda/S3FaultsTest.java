package dev.facerec.recognition.lambda;

import static dev.facerec.recognition.lambda.PipelineExtension.INPUT;
import static dev.facerec.recognition.lambda.PipelineExtension.OUTPUT;
import static dev.facerec.recognition.lambda.PipelineExtension.STAGE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facerec.common.Env;
import dev.facerec.common.testing.CourseWorkload;
import dev.facerec.splitter.lambda.SampleEvents;
import dev.facerec.splitter.lambda.TransientFailureException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Both functions talk to S3 through {@link FaultyS3Proxy}, which fails a share of requests as S3 does (500, 503
 * SlowDown, dropped connections) or denies one key; the test itself talks to S3Mock directly, so its own checks see
 * no faults. Transient faults must end, after the SDK's retries and at most Lambda's 3 deliveries, in the right names;
 * a permanent 403 must end as an Error outcome without a retry.
 */
class S3FaultsTest {
    /** Lambda's async invoke: the first delivery and two retries. */
    static final int MAX_DELIVERIES = 3;

    // Faults start off: a failed init is Lambda's cold-start retry, not what these tests are about.
    @RegisterExtension
    static final PipelineExtension PIPELINE = PipelineExtension.withSeedGallery().throughFaultyProxy(20_240_601L);

    @Test
    void transientFaultsOnThreeRequestsInTenStillGiveEveryRightName() {
        List<CourseWorkload.Video> videos = CourseWorkload.course();
        assertThat(videos).hasSize(8);
        // Three in ten: enough to fault most videos, low enough that three deliveries of an event (the SDK retrying
        // each request within each) do not all fail. Connection reuse makes the exact sequence vary from run to run.
        PIPELINE.proxy().faultRate(0.30);
        List<String> wrong = new ArrayList<>();
        int splitterDeliveries = 0;
        int recognizerDeliveries = 0;
        for (CourseWorkload.Video video : videos) {
            PIPELINE.s3().putObject(b -> b.bucket(INPUT).key(video.name()), RequestBody.fromFile(video.source()));

            int split = deliver(video.name(), () -> {
                PIPELINE.lambda().clear();
                PIPELINE.splitter().handleRequest(SampleEvents.putEvent(video.name()), null);
            });
            splitterDeliveries += split;
            assertThat(PIPELINE.lambda().requests()).as("one async invoke for %s", video.name()).hasSize(1);
            String invoke = PIPELINE.lambda().requests().get(0).body();
            recognizerDeliveries += deliver(video.name(),
                    () -> PIPELINE.recognizer().handleRequest(RecognitionFixture.message(invoke), null));

            String stem = video.name().replace(".mp4", "");
            String name = PIPELINE.s3().getObjectAsBytes(b -> b.bucket(OUTPUT).key(stem + ".txt")).asUtf8String();
            if (!name.equals(video.expectedName())) {
                wrong.add(video.name() + ": " + name + " (expected " + video.expectedName() + ")");
            }
        }
        FaultyS3Proxy proxy = PIPELINE.proxy();
        System.out.printf("S3 faults: %d requests forwarded, %d injected (500 %d, 503 SlowDown %d, dropped %d); "
                        + "deliveries for %d videos: splitter %d, recogniser %d%n",
                proxy.forwarded(), proxy.injectedTotal(), proxy.injected(FaultyS3Proxy.Fault.INTERNAL_ERROR),
                proxy.injected(FaultyS3Proxy.Fault.SLOW_DOWN), proxy.injected(FaultyS3Proxy.Fault.DROP),
                videos.size(), splitterDeliveries, recognizerDeliveries);
        // Without injected faults this test would prove nothing about retries.
        assertThat(proxy.injectedTotal()).isPositive();
        assertThat(wrong).as("videos named wrongly").isEmpty();
    }

    @Test
    void accessDeniedOnTheVideoIsAnErrorOutcomeNotARetry() {
        CourseWorkload.Video video = CourseWorkload.course().get(0);
        String key = "denied/" + video.name();
        String stem = key.replace(".mp4", "");
        PIPELINE.s3().putObject(b -> b.bucket(INPUT).key(key), RequestBody.fromFile(video.source()));
        PIPELINE.proxy().deny(INPUT, key);
        PIPELINE.lambda().clear();

        // Must return normally: a thrown exception would make Lambda retry a failure no retry can fix.
        PIPELINE.splitter().handleRequest(SampleEvents.putEvent(key), null);

        assertThat(PIPELINE.proxy().denied()).as("the proxy denied the video's reads").isPositive();
        assertThat(PIPELINE.s3().getObjectAsBytes(b -> b.bucket(OUTPUT).key(stem + ".txt")).asUtf8String())
                .isEqualTo("Error");
        assertThat(PIPELINE.s3().getObjectAsBytes(b -> b.bucket(OUTPUT).key(stem + ".json")).asUtf8String())
                .contains("AccessDenied");
        assertThat(PIPELINE.s3().listObjectsV2(b -> b.bucket(STAGE).prefix("denied/")).contents()).isEmpty();
        assertThat(PIPELINE.lambda().requests()).as("no invoke for a denied video").isEmpty();
    }

    @Test
    void aGalleryThatS3FailsToServeAtInitIsLoadedByTheFirstInvocation() throws Exception {
        CourseWorkload.Video video = CourseWorkload.course().get(1);
        String videoKey = "gallery-faults/" + video.name();
        byte[] frame = RecognitionFixture.frameOf(video.source());
        RecognitionFixture.stageFrame(PIPELINE.s3(), STAGE, INPUT, videoKey, frame);
        Map<String, Object> message = RecognitionFixture.message(RecognitionFixture.courseMessage(STAGE, videoKey));
        Env env = new Env(PIPELINE.environment()); // S3 through the proxy, the gallery uploaded

        PIPELINE.proxy().faultRate(1.0); // S3 down while the container starts
        int faultsBefore = PIPELINE.proxy().injectedTotal();
        FaceRecognitionHandler cold = new FaceRecognitionHandler(FaceRecognitionService.fromEnvironment(env));
        assertThat(PIPELINE.proxy().injectedTotal()).as("faults injected during init").isGreaterThan(faultsBefore);

        // Still down at the first invocation: thrown for Lambda to retry, and no Error outcome for a passing fault.
        assertThatThrownBy(() -> cold.handleRequest(message, null)).isInstanceOf(SdkException.class);
        String stem = videoKey.replace(".mp4", "");
        assertThat(PIPELINE.s3().listObjectsV2(b -> b.bucket(OUTPUT).prefix(stem)).contents()).isEmpty();

        PIPELINE.proxy().faultRate(0);
        cold.handleRequest(message, null); // Lambda's retry
        assertThat(PIPELINE.s3().getObjectAsBytes(b -> b.bucket(OUTPUT).key(stem + ".txt")).asUtf8String())
                .isEqualTo(video.expectedName());
    }

    /**
     * Runs one delivery of an event, and redelivers it while it throws a failure Lambda would retry, as Lambda's async
     * invoke does; returns the number of deliveries made. Any other exception is a bug and is not caught.
     */
    private static int deliver(String video, Runnable handler) {
        for (int delivery = 1; ; delivery++) {
            try {
                handler.run();
                return delivery;
            } catch (TransientFailureException | SdkException e) {
                System.out.printf("delivery %d of %s failed: %s%n", delivery, video, e.getMessage());
                if (delivery == MAX_DELIVERIES) {
                    throw new AssertionError(video + " failed all " + MAX_DELIVERIES + " deliveries", e);
                }
            }
        }
    }
}
