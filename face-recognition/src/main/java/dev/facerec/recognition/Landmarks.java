package dev.facerec.recognition;

import java.util.List;

/**
 * The 68 face landmarks (iBUG 300-W order) in image pixels, with the size of the crop the landmark net was given,
 * which face-api's dlib alignment uses as a bound.
 */
public final class Landmarks {

    public static final int COUNT = 68;

    // face-api's alignment constants: the eyes-and-mouth centre sits at (0.5, 0.43) of a box 1/0.45 eye-to-mouth wide.
    private static final double REL_X = 0.5;
    private static final double REL_Y = 0.43;
    private static final double REL_SCALE = 0.45;

    private final List<Point> points;
    private final int cropWidth;
    private final int cropHeight;

    public Landmarks(List<Point> points, int cropWidth, int cropHeight) {
        if (points.size() != COUNT) {
            throw new IllegalArgumentException("expected " + COUNT + " landmarks, got " + points.size());
        }
        this.points = List.copyOf(points);
        this.cropWidth = cropWidth;
        this.cropHeight = cropHeight;
    }

    public List<Point> points() {
        return points;
    }

    /** The same points {@code dx}, {@code dy} pixels further right and down. */
    public Landmarks moved(double dx, double dy) {
        return new Landmarks(points.stream().map(p -> new Point(p.x() + dx, p.y() + dy)).toList(), cropWidth,
                cropHeight);
    }

    public List<Point> leftEye() {
        return points.subList(36, 42);
    }

    public List<Point> rightEye() {
        return points.subList(42, 48);
    }

    public List<Point> mouth() {
        return points.subList(48, 68);
    }

    /**
     * face-api's {@code landmarks.align(null, {useDlibAlignment: true})}: a square around the eyes and mouth, integer
     * pixels, the crop FaceRecognitionNet was trained on. Not clipped to the image (the crop is, when taken).
     */
    public Box dlibAlignBox() {
        Point leftEye = Point.centre(leftEye());
        Point rightEye = Point.centre(rightEye());
        Point mouth = Point.centre(mouth());
        double eyeToMouth = (mouth.distanceTo(leftEye) + mouth.distanceTo(rightEye)) / 2;
        double size = Math.floor(eyeToMouth / REL_SCALE);
        Point ref = Point.centre(List.of(leftEye, rightEye, mouth));
        double x = Math.floor(Math.max(0, ref.x() - REL_X * size));
        double y = Math.floor(Math.max(0, ref.y() - REL_Y * size));
        // face-api bounds the size by the landmark crop's size plus the offset (its "imageWidth" is the crop's).
        return new Box(x, y, Math.min(size, cropWidth + x), Math.min(size, cropHeight + y));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Landmarks other && points.equals(other.points) && cropWidth == other.cropWidth
            && cropHeight == other.cropHeight;
    }

    @Override
    public int hashCode() {
        return points.hashCode() * 31 + cropWidth * 17 + cropHeight;
    }

    @Override
    public String toString() {
        return "Landmarks" + points.subList(0, 2) + "...";
    }
}
