package dev.facerec.cli;

import dev.facerec.common.Env;
import dev.facerec.recognition.gallery.Enroller;
import dev.facerec.recognition.gallery.Gallery;
import dev.facerec.recognition.gallery.GalleryFiles;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code faas gallery}: a gallery file or {@code s3://bucket/key} object listed, described, added to, taken from or
 * converted. Changes to an S3 gallery are conditional writes (GalleryStore): two people editing at once never lose
 * each other's changes. A recogniser watching the gallery picks a change up within GALLERY_REFRESH_SECONDS.
 */
@Command(name = "gallery", description = "Lists, describes, adds to, removes from or converts a gallery (a file or "
        + "s3://bucket/key).", subcommands = {GalleryCommand.ListPeople.class, GalleryCommand.Info.class,
        GalleryCommand.Add.class, GalleryCommand.Remove.class, GalleryCommand.Convert.class})
final class GalleryCommand {
    private static final String WRITTEN = "Written in the format the name says: format 1 (JSON) for a name ending "
            + ".json, format 2 (binary) for any other.";

    /** The gallery a subcommand works on. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "GALLERY", description = "A gallery file or s3://bucket/key.")
        String uri;

        /** Where S3 is and who signs: the AWS CLI's variables (tests point it at a local S3). */
        Env env = Env.system();

        GalleryStore open() {
            return GalleryStore.open(uri, "GALLERY", env);
        }
    }

    /** A subcommand on one gallery: it is opened, given to {@link #run}, and closed. */
    abstract static class OnGallery implements Callable<Integer> {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        abstract void run(GalleryStore store, PrintWriter out) throws Exception;

        @Override
        public final Integer call() throws Exception {
            try (GalleryStore store = target.open()) {
                run(store, spec.commandLine().getOut());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "One line per person: <name><TAB><descriptors>.")
    static final class ListPeople extends OnGallery {
        @Override
        void run(GalleryStore store, PrintWriter out) throws Exception {
            Gallery gallery = store.readExisting().gallery();
            for (int p = 0; p < gallery.personCount(); p++) {
                out.println(gallery.name(p) + "\t" + gallery.person(p).descriptors().size());
            }
        }
    }

    @Command(name = "info", description = "Format, model, people, descriptors, size and (on S3) the ETag.")
    static final class Info extends OnGallery {
        @Override
        void run(GalleryStore store, PrintWriter out) throws Exception {
            GalleryStore.Stored stored = store.readExisting();
            out.printf(Locale.ROOT, "%s: format %d (%s), %d people, %d descriptors, %d bytes%s, model %s%n",
                    store.location(), stored.format().version(),
                    stored.format() == GalleryFiles.Format.JSON ? "JSON" : "binary", stored.gallery().personCount(),
                    stored.gallery().descriptorCount(), stored.bytes(),
                    stored.etag() == null ? "" : ", ETag " + stored.etag(), stored.gallery().model());
        }
    }

    @Command(name = "add", description = {"Enrols the photos (<Name>/*.jpg, as faas enroll) into the gallery: a person "
            + "already there gets the new photos' descriptors beside their own. A gallery not there yet is made.",
            WRITTEN})
    static final class Add extends OnGallery {
        @Mixin
        PhotosOption photos;

        @Override
        void run(GalleryStore store, PrintWriter out) throws Exception {
            photos.check();
            GalleryStore.Stored before = store.read().orElse(null); // before the slow part: a bad GALLERY fails now
            Enroller.Enrollment enrollment = photos.enroll();
            EnrollCommand.report(enrollment, out);
            Gallery added = enrollment.gallery();
            if (added.personCount() == 0) {
                throw new CommandFailure("no photo of " + photos.photos + " could be enrolled: the gallery is "
                        + "unchanged");
            }
            Gallery after = before == null ? added : before.gallery().merged(added);
            out.println("gallery " + store.location() + ": " + store.writeBack(after, before));
        }
    }

    @Command(name = "remove", description = {"Takes a person and all their descriptors out of the gallery.", WRITTEN})
    static final class Remove extends OnGallery {
        @Parameters(index = "1", paramLabel = "NAME", description = "The person to remove.")
        String name;

        @Override
        void run(GalleryStore store, PrintWriter out) throws Exception {
            GalleryStore.Stored before = store.readExisting();
            if (before.gallery().indexOf(name) < 0) {
                throw new CommandFailure("no person named '" + name + "' in " + store.location());
            }
            if (before.gallery().personCount() == 1) {
                throw new CommandFailure(name + " is the only person in " + store.location() + ": a gallery "
                        + "with nobody would make every face Unknown; delete the gallery instead");
            }
            out.println("gallery " + store.location() + ": " + name + " removed; "
                    + store.writeBack(before.gallery().without(name), before));
        }
    }

    @Command(name = "convert", description = {"Writes the gallery to OUT (a file or s3://bucket/key).", WRITTEN})
    static final class Convert extends OnGallery {
        @Parameters(index = "1", paramLabel = "OUT", description = "Where to write it.")
        String out;

        @Override
        void run(GalleryStore from, PrintWriter printed) throws Exception {
            try (GalleryStore to = GalleryStore.open(out, "OUT", target.env)) {
                Gallery gallery = from.readExisting().gallery();
                printed.println(from.location() + " -> " + to.location() + ": "
                        + to.writeBack(gallery, to.read().orElse(null)));
            }
        }
    }
}
