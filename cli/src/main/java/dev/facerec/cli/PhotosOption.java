package dev.facerec.cli;

import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.gallery.Enroller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --photos DIR} and {@code --detector}: the photos folder the enrolling commands take (enroll, gallery add). */
final class PhotosOption {
    @Option(names = "--photos", required = true, paramLabel = "DIR", description = "Folder of <Name>/ folders.")
    Path photos;

    @Mixin
    DetectorOption detector;

    /** Before the models load and the photos are enrolled (seconds to minutes): a wrong folder is told at once. */
    void check() {
        if (!Files.isDirectory(photos)) {
            throw new CommandFailure("--photos " + photos + ": no such folder; give a folder of <Name>/*.jpg photos");
        }
    }

    /** Every photo enrolled with the chosen detector (the models loaded for it, then closed). */
    Enroller.Enrollment enroll() throws IOException {
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(detector.kind)) {
            return new Enroller(analyzer).enroll(photos);
        }
    }
}
