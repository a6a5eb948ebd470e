package dev.facerec.common.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The read-only data beside the project ({@code ../shared}): the course videos, the gallery photos, the face-api
 * fixtures. In CI (CI=true) a missing folder fails the test; on a user's machine it skips it, naming the folder.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path projectRoot() {
        String root = System.getProperty("faas.projectRoot");
        return root != null ? Path.of(root).toAbsolutePath().normalize() : Path.of("").toAbsolutePath();
    }

    /** A folder under {@code ../shared}, e.g. {@code datasets/seed/videos}. */
    public static Path folder(String relative) {
        Path folder = projectRoot().resolveSibling("shared").resolve(relative).normalize();
        if (!Files.isDirectory(folder)) {
            String message = "test data folder " + folder + " is missing (expected ../shared beside the project)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return folder;
    }

    public static Path seedVideos() {
        return folder("datasets/seed/videos");
    }

    /** Enrollment photos: {@code <Name>/*.jpg}. */
    public static Path seedGallery() {
        return folder("datasets/seed/gallery");
    }

    public static Path seedVideo(String name) {
        return seedVideos().resolve(name);
    }
}
