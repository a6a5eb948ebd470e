package dev.facerec.cli;

import dev.facerec.recognition.FaceAnalyzer;
import dev.facerec.recognition.gallery.Enroller;
import dev.facerec.recognition.gallery.Enroller.PhotoResult;
import dev.facerec.recognition.gallery.GalleryJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
        "Builds a gallery from DIR/<Name>/*.{jpg,jpeg,png}: the largest face of each photo.",
        "Photos with no face are reported and skipped. Prints a summary per person."})
final class EnrollCommand implements Callable<Integer> {

    @Option(names = "--photos", required = true, paramLabel = "DIR", description = "Folder of <Name>/ folders.")
    Path photos;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Gallery file to write.")
    Path out;

    @Mixin
    DetectorOption detector;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Before the models load and the photos are enrolled (seconds to minutes): a wrong option is told at once.
        if (!Files.isDirectory(photos)) {
            throw new CommandFailure("--photos " + photos + ": no such folder; give a folder of <Name>/*.jpg photos");
        }
        OutputFolder.forFile(out, "--out");
        PrintWriter stdout = spec.commandLine().getOut();
        Enroller.Enrollment enrollment;
        try (FaceAnalyzer analyzer = FaceAnalyzer.create(detector.kind)) {
            enrollment = new Enroller(analyzer).enroll(photos);
        }
        Map<String, List<PhotoResult>> byPerson = new LinkedHashMap<>();
        enrollment.photos().forEach(p -> byPerson.computeIfAbsent(p.person(), k -> new java.util.ArrayList<>()).add(p));
        byPerson.forEach((person, results) -> {
            long enrolled = results.stream().filter(PhotoResult::enrolled).count();
            stdout.println(person + "\t" + enrolled + " of " + results.size() + " photos enrolled");
            results.stream().filter(r -> !r.enrolled())
                    .forEach(r -> stdout.println("  skipped " + r.photo() + ": " + r.problem()));
        });
        Files.write(out, GalleryJson.write(enrollment.gallery()));
        stdout.println("gallery: " + enrollment.gallery().people().size() + " people, "
                + enrollment.gallery().descriptorCount() + " descriptors -> " + out);
        return 0;
    }
}
