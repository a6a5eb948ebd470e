package dev.facerec.cli;

import dev.facerec.recognition.gallery.Enroller;
import dev.facerec.recognition.gallery.Enroller.PhotoResult;
import dev.facerec.recognition.gallery.GalleryFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code faas enroll --photos DIR --out gallery.json}. */
@Command(name = "enroll", description = {
        "Builds a gallery from DIR/<Name>/*.{jpg,jpeg,png}: one face of each photo, its only face or one clearly "
                + "larger than the others.",
        "A photo is skipped, with the reason, when it has no face, several faces of similar size, a face under "
                + Enroller.MIN_FACE_SIDE + " px, or a blurred face. Prints per person how many photos were used, "
                + "each skipped photo and why, and which face a photo with several gave."})
final class EnrollCommand implements Callable<Integer> {

    @Mixin
    PhotosOption photos;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Gallery file to write: format 1 "
            + "(JSON) for a name ending .json, format 2 (binary: compact, quick to load) for any other.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Before the models load and the photos are enrolled (seconds to minutes): a wrong option is told at once.
        photos.check();
        OutputFolder.forFile(out, "--out");
        PrintWriter stdout = spec.commandLine().getOut();
        Enroller.Enrollment enrollment = photos.enroll();
        report(enrollment, stdout);
        GalleryFiles.Format format = GalleryFiles.write(enrollment.gallery(), out);
        stdout.println("gallery: " + enrollment.gallery().personCount() + " people, "
                + enrollment.gallery().descriptorCount() + " descriptors from " + enrollment.photos().size()
                + " photos, " + enrollment.skipped().size() + " skipped -> " + out + " (format " + format.version()
                + ")");
        return 0;
    }

    /** Per person, how many photos were used; under it, each photo skipped and why, and which face a photo gave. */
    static void report(Enroller.Enrollment enrollment, PrintWriter stdout) {
        Map<String, List<PhotoResult>> byPerson = new LinkedHashMap<>();
        enrollment.photos().forEach(p -> byPerson.computeIfAbsent(p.person(), k -> new ArrayList<>()).add(p));
        byPerson.forEach((person, results) -> {
            long used = results.stream().filter(PhotoResult::enrolled).count();
            stdout.println(person + ": " + used + " of " + results.size() + " photos used");
            for (PhotoResult r : results) {
                if (!r.enrolled()) {
                    stdout.println("  skipped " + r.photo() + ": " + r.message());
                } else if (r.faces() > 1) {
                    stdout.println("  used " + r.photo() + ": " + r.message());
                }
            }
        });
    }
}
