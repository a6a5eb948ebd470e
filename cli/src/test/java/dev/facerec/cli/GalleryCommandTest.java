package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facerec.common.Env;
import dev.facerec.common.testing.SharedData;
import dev.facerec.common.testing.TestAws;
import dev.facerec.localaws.S3MockServer;
import dev.facerec.recognition.gallery.Gallery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code faas gallery} on a file and on S3 (S3Mock over HTTP): made, added to, listed, described, converted between
 * the formats and taken from; and two edits of one S3 gallery at once, the second refused by S3's conditional write
 * (which S3Mock enforces: {@code If-Match} and {@code If-None-Match: *} on PutObject).
 */
class GalleryCommandTest {
    private static final String BUCKET = "galleries";

    @TempDir
    Path dir;

    @Test
    void aFileGalleryIsMadeAddedToListedConvertedAndTakenFrom() throws Exception {
        Path first = photos("first", "Bean/Bean_f26.jpg", "Biden/*");
        Path second = photos("second", "Bean/Bean_f52.jpg", "Depp/*");
        Path gallery = dir.resolve("people.gallery");

        assertThat(run(null, "gallery", "add", gallery.toString(), "--photos", first.toString()).lines())
                .contains("Bean: 1 of 1 photos used", "gallery " + gallery + ": 2 people, 3 descriptors (format 2)");
        assertThat(Files.readString(gallery, StandardCharsets.ISO_8859_1)).startsWith("facerec-gallery\n");
        assertThat(run(null, "gallery", "add", gallery.toString(), "--photos", second.toString()).lines())
                .contains("gallery " + gallery + ": 3 people, 6 descriptors (format 2)");
        assertThat(run(null, "gallery", "list", gallery.toString()).lines())
                .containsExactly("Bean\t2", "Biden\t2", "Depp\t2");

        Path json = dir.resolve("people.json");
        run(null, "gallery", "convert", gallery.toString(), json.toString());
        assertThat(run(null, "gallery", "info", json.toString()).lines()).singleElement().asString()
                .startsWith(json + ": format 1 (JSON), 3 people, 6 descriptors, ");
        assertThat(run(null, "gallery", "remove", json.toString(), "Biden").lines())
                .containsExactly("gallery " + json + ": Biden removed; 2 people, 4 descriptors (format 1)");
        assertThat(run(null, "gallery", "list", json.toString()).lines()).containsExactly("Bean\t2", "Depp\t2");

        Faas.Run missing = run(null, "gallery", "remove", json.toString(), "Nobody");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("faas gallery remove: no person named 'Nobody' in " + json + "\n");
    }

    @Test
    void twoEditsOfAnS3GalleryAtOnceNeverLoseOneAnother() throws Exception {
        try (S3MockServer s3 = S3MockServer.start(dir.resolve("s3"), List.of(BUCKET))) {
            Env env = new Env(TestAws.environment(s3.url().getPort(), null));
            Path photos = photos("people", "Bean/*", "Biden/*", "Depp/*");
            Path file = dir.resolve("people.json");
            run(null, "enroll", "--photos", photos.toString(), "--out", file.toString());
            String uri = "s3://" + BUCKET + "/people.gallery";

            assertThat(run(env, "gallery", "convert", file.toString(), uri).lines())
                    .containsExactly(file + " -> " + uri + ": 3 people, 6 descriptors (format 2)");
            assertThat(run(env, "gallery", "info", uri).lines()).singleElement().asString()
                    .matches("s3://galleries/people.gallery: format 2 \\(binary\\), 3 people, 6 descriptors, \\d+ "
                            + "bytes, ETag \"[0-9a-f]+\", model .*");

            // A reads; B removes Depp; A, still holding what it read, writes: refused, and B's change stands.
            try (GalleryStore a = GalleryStore.open(uri, "GALLERY", env)) {
                GalleryStore.Stored read = a.readExisting();
                assertThat(run(env, "gallery", "remove", uri, "Depp").status()).isZero();

                assertThatThrownBy(() -> a.write(read.gallery().without("Bean"), read))
                        .isInstanceOf(CommandFailure.class)
                        .hasMessage(uri + " changed since it was read (another edit came first): nothing was written; "
                                + "run the command again");
                // Nor may one who found no gallery make one over a gallery made meanwhile.
                assertThatThrownBy(() -> a.write(read.gallery(), null)).isInstanceOf(CommandFailure.class)
                        .hasMessageContaining("changed since it was read");

                Gallery now = a.readExisting().gallery();
                assertThat(now.names()).containsExactly("Bean", "Biden");
                // Read again, A's edit goes through.
                GalleryStore.Stored fresh = a.readExisting();
                a.write(fresh.gallery().without("Bean"), fresh);
            }
            assertThat(run(env, "gallery", "list", uri).lines()).containsExactly("Biden\t2");
        }
    }

    /** A photos folder of these seed photos ({@code Name/file} or {@code Name/*}). */
    private Path photos(String name, String... photos) throws Exception {
        Path folder = dir.resolve(name);
        for (String photo : photos) {
            String person = photo.substring(0, photo.indexOf('/'));
            Files.createDirectories(folder.resolve(person));
            try (var files = Files.list(SharedData.seedGallery().resolve(person))) {
                for (Path source : files.filter(f -> photo.endsWith("/*")
                        || f.getFileName().toString().equals(photo.substring(person.length() + 1))).toList()) {
                    Files.copy(source, folder.resolve(person).resolve(source.getFileName()));
                }
            }
        }
        return folder;
    }

    /** Runs faas with the gallery commands' AWS settings set to {@code env} (null: the process's). */
    private static Faas.Run run(Env env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = FaasCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        if (env != null) {
            cli.getSubcommands().get("gallery").getSubcommands().values().forEach(sub ->
                    sub.getMixins().values().stream().filter(GalleryCommand.Target.class::isInstance)
                            .forEach(target -> ((GalleryCommand.Target) target).env = env));
        }
        int status = cli.execute(args);
        return new Faas.Run(status, out.toString().lines().toList(), err.toString());
    }
}
