package dev.facerec.common.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.common.Upload;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order of the uploads of one video, as S3's event sequencers give it. */
class ProvenanceTest {
    @Test
    void uploadsAreOrderedByTheirSequencersRightPaddedWithZeros() {
        Map<String, String> recorded = Provenance.metadataOf(new Upload("etag-a", "0A1B2C3D4E5F678901"));

        assertThat(Provenance.order(recorded, new Upload("etag-a", "0A1B2C3D4E5F678901")))
                .isEqualTo(Provenance.Order.SAME);
        assertThat(Provenance.order(recorded, new Upload("etag-b", "0A1B2C3D4E5F6789FF")))
                .as("against a later upload").isEqualTo(Provenance.Order.OLDER);
        assertThat(Provenance.order(recorded, new Upload("etag-b", "0A1B2C3D4E5F6789")))
                .as("shorter: 0A1B2C3D4E5F678900").isEqualTo(Provenance.Order.NEWER);
        assertThat(Provenance.order(recorded, new Upload("etag-b", "0a1b2c3d4e5f67890")))
                .as("in lower case, shorter: 0A1B2C3D4E5F678900").isEqualTo(Provenance.Order.NEWER);
        assertThat(Provenance.order(recorded, new Upload("etag-b", null)))
                .as("an event without a sequencer cannot be ordered: it replaces").isEqualTo(Provenance.Order.OLDER);
        assertThat(Provenance.order(Provenance.metadataOf(new Upload("etag-a", null)), new Upload("etag-a", null)))
                .as("nor told from a request to run the same bytes again").isEqualTo(Provenance.Order.OLDER);
        assertThat(Provenance.order(Map.of(), new Upload("etag-b", "00")))
                .as("an outcome that records no upload").isEqualTo(Provenance.Order.OLDER);
        assertThat(Provenance.order(recorded, null)).as("an upload-less Error").isEqualTo(Provenance.Order.OLDER);
    }
}
