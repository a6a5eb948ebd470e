package dev.facerec.cli;

import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.gallery.Enroller;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.GalleryFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --gallery}: a gallery file, or a photos folder enrolled on the fly. */
final class GalleryOption {
    private GalleryOption() {
    }

    static Gallery load(Path gallery, FaceAnalyzer analyzer, PrintWriter err) throws IOException {
        if (Files.isDirectory(gallery)) {
            Enroller.Enrollment enrollment = new Enroller(analyzer).enroll(gallery);
            enrollment.skipped().forEach(p -> err.println("skipped " + p.photo() + ": " + p.message()));
            err.flush();
            return enrollment.gallery();
        }
        return readFile(gallery);
    }

    /** A gallery file; where there is none, what --gallery takes. */
    static Gallery readFile(Path gallery) throws IOException {
        if (!Files.exists(gallery)) {
            throw new CommandFailure("--gallery " + gallery + ": no such file or folder; give a gallery file "
                    + "(faas enroll makes one) or a folder of <Name>/*.jpg photos");
        }
        return GalleryFiles.read(gallery);
    }
}
