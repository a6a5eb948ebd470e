package dev.facerec.recognition.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.recognition.Descriptor;
import dev.facerec.recognition.SampleFaces;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 100,000-person gallery (200,002 descriptors) made during the test from the two people of the face-api package's
 * photos ({@link SyntheticGallery}): the matcher answers exactly as the plain scan of {@link ReferenceMatcher} does
 * (the nearest, the runner-up, both distances, the threshold's verdict), and the gallery goes through both file
 * formats unchanged. Speed is measured by {@code faas bench --gallery-size}, not here.
 */
class LargeGalleryTest {
    private static final int PEOPLE = 100_000;
    private static Gallery large;

    @BeforeAll
    static void makeTheGallery() {
        large = SyntheticGallery.extend(SampleFaces.twoPeople(), PEOPLE, 2, 7);
    }

    @Test
    void theMatcherAnswersAsThePlainScanForEnrolledNearAndStrangeFaces() {
        Matcher matcher = new Matcher(large, Matcher.DEFAULT_THRESHOLD);
        ReferenceMatcher reference = new ReferenceMatcher(large, Matcher.DEFAULT_THRESHOLD);
        List<Descriptor> queries = queries(large, 120, 11);

        int matched = 0;
        for (Descriptor query : queries) {
            Match expected = reference.match(query);
            assertThat(matcher.match(query)).as("%s", query).isEqualTo(expected);
            matched += expected.matched() ? 1 : 0;
        }
        // Both verdicts were put to the test: faces named, and faces left Unknown.
        assertThat(matched).isBetween(1, queries.size() - 1);
    }

    @Test
    void aTieGoesToThePersonEnrolledFirstAsBefore() {
        Descriptor shared = large.person(5).descriptors().get(0);
        Gallery twins = Gallery.of(List.of(large.person(3), new Person("Twin A", List.of(shared)),
                new Person("Twin B", List.of(shared)), large.person(4)));

        Match match = new Matcher(twins, Matcher.DEFAULT_THRESHOLD).match(shared);

        assertThat(match).isEqualTo(new ReferenceMatcher(twins, Matcher.DEFAULT_THRESHOLD).match(shared));
        assertThat(match.name()).isEqualTo("Twin A");
        assertThat(match.runnerUp()).isEqualTo("Twin B");
        assertThat(match.runnerUpDistance()).isZero();
    }

    @Test
    void theGalleryGoesThroughBothFormatsUnchanged() throws Exception {
        for (GalleryFiles.Format format : GalleryFiles.Format.values()) {
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            GalleryFiles.write(large, format, file);

            Gallery read = GalleryFiles.read(new ByteArrayInputStream(file.toByteArray()), format.name());

            assertThat(read).as(format.name()).isEqualTo(large);
        }
    }

    @Test
    void theSyntheticPeopleAreStrangersToTheRealOnes() {
        Matcher realOnly = new Matcher(SampleFaces.twoPeople(), Matcher.MAX_THRESHOLD);
        for (int person = 2; person < large.personCount(); person += 997) {
            for (Descriptor descriptor : large.person(person).descriptors()) {
                assertThat(realOnly.match(descriptor).distance())
                        .isGreaterThanOrEqualTo(SyntheticGallery.MIN_DISTANCE_TO_REAL);
            }
        }
    }

    /**
     * Faces to look up: every real descriptor, enrolled synthetic descriptors as they are and moved a little (as
     * another photo of them), and strangers (a fresh synthetic person).
     */
    private static List<Descriptor> queries(Gallery gallery, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Descriptor> queries = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            queries.addAll(gallery.person(p).descriptors());
        }
        Gallery strangers = SyntheticGallery.extend(SampleFaces.twoPeople(), count / 3, 1, seed + 1);
        for (int i = 0; i < count / 3; i++) {
            queries.add(strangers.person(2 + i).descriptors().get(0));
            Descriptor enrolled = gallery.person(random.nextInt(gallery.personCount())).descriptors().get(0);
            queries.add(enrolled);
            float[] moved = enrolled.values();
            double scale = random.nextDouble(0.01, 0.06);
            for (int k = 0; k < moved.length; k++) {
                moved[k] += (float) (random.nextGaussian() * scale);
            }
            queries.add(new Descriptor(moved));
        }
        return queries;
    }
}
