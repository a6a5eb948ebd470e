package dev.facerec.recognition.lambda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The course's graded workload with {@code FRAMES=keyframes}: the course clips are one group of pictures each, so the
 * answers must be those of {@code first} (CourseWorkloadTest).
 */
class CourseWorkloadKeyframesTest {
    @RegisterExtension
    static final PipelineExtension PIPELINE = PipelineExtension.withSeedGallery().with("FRAMES", "keyframes");

    @Test
    void all100GradedVideosGetTheGradersNames() {
        CourseWorkloadTest.assertAll100Right(PIPELINE);
    }
}
