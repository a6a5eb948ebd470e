package dev.facerec.recognition;

import ai.djl.ndarray.NDManager;
import dev.facerec.recognition.model.NonMaxSuppression;
import java.util.ArrayList;
import java.util.List;

/**
 * Faces at every size a person hands over, from one detector network run more than once. Its pass on the picture
 * finds faces from about a tenth to two thirds of the picture. A face that fills the picture (a headshot, a face
 * crop) is too large for the network's anchors: when the first pass finds no face, the picture is set in a grey
 * border and searched again, and when that finds none either, its mirror image in the same border (the network is not
 * symmetric: a face turned one way can score well below the same face turned the other). Small faces (a crowd, a far
 * shot) are searched for by the network run at a larger input size, with a lower score threshold (see
 * {@link DetectorKind}), on pictures larger than the first pass's input (a smaller one is already enlarged for it),
 * unless every face the first pass found is large. The passes' boxes, back in picture pixels, are merged by non-max
 * suppression.
 */
public final class FaceSearch implements FaceDetector {
    /**
     * The border, as a share of the picture's longer side, on every side. The dev set's face crops gave a face in 65
     * of 73 with 0.25 and 0.5, 72 with 1.0, 71 with 1.5.
     */
    static final double BORDER = 1.0;
    /** A face at least this share of the picture's shorter side is too large to be among a crowd's small faces. */
    static final double LARGE_FACE = 0.15;
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
        // Searching the border only when nothing was found kept the dev set's figures and a third of the cost on
        // frames whose faces are all of middle size (a retry whenever no face filled half the picture did not).
        if (found.isEmpty()) {
            RgbImage small = shrunkForBorder(image);
            found.addAll(inBorder(image, small, false, scope));
            if (found.isEmpty()) {
                found.addAll(inBorder(image, small.mirrored(), true, scope));
            }
        }
        if (smallFaces != null && Math.max(image.width(), image.height()) > pictureInput
                && !allLarge(found, image)) {
            found.addAll(smallFaces.detect(image, scope));
        }
        return merged(found);
    }

    /**
     * Whether the first pass found faces and all of them are large: then the picture is a close shot, and the small
     * faces' pass (three times the first's cost) is skipped. A small face found says there may be more like it.
     */
    private static boolean allLarge(List<Detection> found, RgbImage image) {
        double shorter = Math.min(image.width(), image.height());
        return !found.isEmpty() && found.stream()
                .allMatch(d -> Math.min(d.box().width(), d.box().height()) >= LARGE_FACE * shorter);
    }

    /**
     * The picture shrunk to its share of the network's input once it is in its border: the network sees the bordered
     * picture at its input size anyway, so the border costs a few small arrays, not a copy of the picture three times
     * as large.
     */
    private RgbImage shrunkForBorder(RgbImage image) {
        int longer = Math.max(image.width(), image.height());
        double scale = Math.min(1, pictureInput / ((1 + 2 * BORDER) * longer));
        return scale < 1 ? image.scaled(scale) : image;
    }

    /**
     * {@code small} (the picture shrunk, or its mirror image when {@code mirror}) in a grey border, searched, its boxes
     * mirrored back if need be, moved back to the picture's pixels and clipped to it.
     */
    private List<Detection> inBorder(RgbImage image, RgbImage small, boolean mirror, NDManager scope) {
        int border = (int) Math.round(BORDER * Math.max(small.width(), small.height()));
        double back = (double) image.width() / small.width();
        List<Detection> found = new ArrayList<>();
        for (Detection d : picture.detect(small.withBorder(border, GREY), scope)) {
            Box box = d.box().moved(-border, -border);
            box = (mirror ? mirrored(box, small.width()) : box).scaled(back).clipToImage(image.width(), image.height());
            if (!box.isEmpty()) {
                found.add(new Detection(box, d.score()));
            }
        }
        return found;
    }

    /** {@code box} of a picture {@code width} pixels wide, in the picture's mirror image (or back). */
    static Box mirrored(Box box, int width) {
        return new Box(width - box.right(), box.y(), box.width(), box.height());
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
