package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.recognition.DetectorKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --detector} of faas enroll and faas recognize: every DetectorKind by its label, the default when left out. */
class DetectorOptionTest {

    private static Object parse(String... args) {
        return new CommandLine(new FaasCli()).parseArgs(args).subcommand().commandSpec().userObject();
    }

    @Test
    void enrollAndRecognizeTakeEachDetectorByName() {
        for (DetectorKind kind : DetectorKind.values()) {
            String name = kind.label();
            assertThat(((EnrollCommand) parse("enroll", "--photos", "p", "--out", "g.json", "--detector", name))
                .photos.detector.kind).isEqualTo(kind);
            assertThat(((RecognizeCommand) parse("recognize", "--gallery", "g.json", "--detector", name, "v.mp4"))
                .detector.kind).isEqualTo(kind);
        }
        assertThat(((EnrollCommand) parse("enroll", "--photos", "p", "--out", "g.json")).photos.detector.kind)
            .isEqualTo(DetectorKind.DEFAULT);
    }

    @Test
    void anUnknownDetectorIsRefusedWithTheChoices() {
        Faas.Run run = Faas.run("enroll", "--photos", "p", "--out", "g.json", "--detector", "mtcnn");
        assertThat(run.status()).isNotZero();
        assertThat(run.err()).contains("expected one of tiny, tiny-search, haar, ssd");
    }
}
