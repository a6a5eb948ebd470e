package dev.facerec.recognition;

import ai.djl.ndarray.NDManager;
import dev.facerec.recognition.model.NonMaxSuppression;
import java.util.ArrayList;
import java.util.List;

/**
 * Faces at every size a person hands over, from one detector network run more than once. Its pass on the picture
 * finds faces from about a tenth to two thirds of the picture. A face that fills the picture (a headshot, a face
 * crop) is too large for the network's anchors: when the first pass finds no face that large, the picture is set in
 * a grey border and searched again. Small faces (a crowd, a far shot) are searched for by the network run at a larger
 * input size, on pictures larger than the first pass's input (a smaller one is already enlarged for it). The passes'
 * boxes, back in picture pixels, are merged by non-max suppression.
 */
public final class FaceSearch implements FaceDetector {
    /** A face at least this share of the picture's shorter side counts as one that fills it. */
    static final double LARGE_FACE = 0.4;
    /** The border, as a share of the picture's longer side, on every side. */
    static final double BORDER = 0.5;
    static final int GREY = 128;
    private static final double IOU_THRESHOLD = 0.4;

    private final FaceDetector picture;
    private final int pictureInput;
    private final FaceDetector smallFaces;

    /**
     * @param picture      the network at its usual input size, {@code pictureInput}
     * @param smallFaces   the same network at a larger input size; null for none
     */
    public FaceSearch(FaceDetector picture, int pictureInput, FaceDetector smallFaces) {
        this.picture = picture;
        this.pictureInput = pictureInput;
        this.smallFaces = smallFaces;
    }

    @Override
    public List<Detection> detect(RgbImage image, NDManager scope) {
        List<Detection> found = new ArrayList<>(picture.detect(image, scope));
        double shorter = Math.min(image.width(), image.height());
        if (found.stream().noneMatch(d -> Math.max(d.box().width(), d.box().height()) >= LARGE_FACE * shorter)) {
            found.addAll(inBorder(image, scope));
        }
        if (smallFaces != null && Math.max(image.width(), image.height()) > pictureInput) {
            found.addAll(smallFaces.detect(image, scope));
        }
        return merged(found);
    }

    /** The picture in a grey border, searched, its boxes moved back and clipped to the picture. */
    private List<Detection> inBorder(RgbImage image, NDManager scope) {
        int border = (int) Math.round(BORDER * Math.max(image.width(), image.height()));
        return picture.detect(image.withBorder(border, GREY), scope).stream()
                .map(d -> new Detection(d.box().moved(-border, -border).clipToImage(image.width(), image.height()),
                        d.score()))
                .filter(d -> !d.box().isEmpty())
                .toList();
    }

    private static List<Detection> merged(List<Detection> found) {
        List<Box> boxes = found.stream().map(Detection::box).toList();
        List<Double> scores = found.stream().map(Detection::score).toList();
        return NonMaxSuppression.kept(boxes, scores, IOU_THRESHOLD).stream().map(found::get).toList();
    }

    @Override
    public void close() {
        picture.close();
        if (smallFaces != null) {
            smallFaces.close();
        }
    }
}
