package dev.facerec.recognition.evaluation;

import dev.facerec.recognition.Box;
import dev.facerec.recognition.gallery.Enroller;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A labelled set of photos, laid out as the development set is: {@code identities/<Name>/*} (photos of one person
 * each), {@code detection/*.jpg} with {@code boxes.csv} ({@code file,x,y,width,height}: every face, boxed by hand), and
 * {@code groups/*.jpg} with {@code labels.csv} ({@code file,people}: who appears, {@code |}-separated). Any part may be
 * missing; files are taken in name order.
 */
public record DevSet(List<Identity> identities, List<BoxedPhoto> detection, List<LabelledGroup> groups) {

    /** One person's photos, in name order. */
    public record Identity(String name, List<Path> photos) {
    }

    /** A photo and the hand-drawn box of every face in it. */
    public record BoxedPhoto(Path photo, List<Box> faces) {
    }

    /** A group photo and the set of people a person saw in it. */
    public record LabelledGroup(Path photo, Set<String> people) {
    }

    public static DevSet read(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("no such folder: " + root);
        }
        DevSet set = new DevSet(identities(root.resolve("identities")), detection(root.resolve("detection")),
                groups(root.resolve("groups")));
        if (set.identities().isEmpty() && set.detection().isEmpty() && set.groups().isEmpty()) {
            throw new IOException(root + " holds none of identities/<Name>/*, detection/boxes.csv, "
                    + "groups/labels.csv");
        }
        return set;
    }

    /** The people of a folder laid out as {@code <Name>/*.{jpg,jpeg,png}}, as {@code identities/} or a gallery. */
    public static List<Identity> identities(Path folder) throws IOException {
        List<Identity> identities = new ArrayList<>();
        if (Files.isDirectory(folder)) {
            for (Path person : list(folder, Files::isDirectory)) {
                List<Path> photos = list(person, Enroller::isPhoto);
                if (!photos.isEmpty()) {
                    identities.add(new Identity(person.getFileName().toString(), photos));
                }
            }
        }
        return identities;
    }

    private static List<BoxedPhoto> detection(Path folder) throws IOException {
        Map<String, List<Box>> boxes = new LinkedHashMap<>();
        for (String[] row : csv(folder.resolve("boxes.csv"), 5)) {
            boxes.computeIfAbsent(row[0], k -> new ArrayList<>()).add(new Box(Double.parseDouble(row[1]),
                    Double.parseDouble(row[2]), Double.parseDouble(row[3]), Double.parseDouble(row[4])));
        }
        return boxes.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new BoxedPhoto(folder.resolve(e.getKey()), List.copyOf(e.getValue()))).toList();
    }

    private static List<LabelledGroup> groups(Path folder) throws IOException {
        return csv(folder.resolve("labels.csv"), 2).stream().sorted((a, b) -> a[0].compareTo(b[0]))
                .map(row -> new LabelledGroup(folder.resolve(row[0]),
                        new LinkedHashSet<>(Arrays.asList(row[1].split("\\|")))))
                .toList();
    }

    /** The rows after the header, each with {@code cells} cells; none when the file is absent. */
    private static List<String[]> csv(Path file, int cells) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] row = lines.get(i).split(",", -1);
            if (row.length != cells) {
                throw new IOException(file + " line " + (i + 1) + ": expected " + cells + " cells, got "
                        + row.length);
            }
            rows.add(Arrays.stream(row).map(String::strip).toArray(String[]::new));
        }
        return rows;
    }

    private static List<Path> list(Path folder, java.util.function.Predicate<Path> filter) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(filter).sorted().toList();
        }
    }
}
