package dev.facerec.recognition;

/**
 * An axis-aligned rectangle in image pixels: top-left corner plus size, as face-api's {@code Box}.
 */
public record Box(double x, double y, double width, double height) {

    public double right() {
        return x + width;
    }

    public double bottom() {
        return y + height;
    }

    /** The same box {@code dx}, {@code dy} pixels further right and down. */
    public Box moved(double dx, double dy) {
        return new Box(x + dx, y + dy, width, height);
    }

    /** The same box with every coordinate times {@code factor}: the box in a picture scaled so. */
    public Box scaled(double factor) {
        return new Box(x * factor, y * factor, width * factor, height * factor);
    }

    public double area() {
        return width * height;
    }

    /** Intersection over union, as face-api's {@code iou} (0 when the boxes do not overlap). */
    public double iou(Box other) {
        double w = Math.max(0.0, Math.min(right(), other.right()) - Math.max(x, other.x));
        double h = Math.max(0.0, Math.min(bottom(), other.bottom()) - Math.max(y, other.y));
        double intersection = w * h;
        return intersection / (area() + other.area() - intersection);
    }

    /**
     * face-api's {@code clipAtImageBorders}: the part of this box inside a {@code width x height} image, every field
     * floored (so a crop always starts and ends on whole pixels). May come out empty or negative when the box lies
     * outside the image.
     */
    public Box clipToImage(int imageWidth, int imageHeight) {
        double clippedX = Math.max(x, 0);
        double clippedY = Math.max(y, 0);
        double clippedWidth = Math.min(right() - clippedX, imageWidth - clippedX);
        double clippedHeight = Math.min(bottom() - clippedY, imageHeight - clippedY);
        return new Box(Math.floor(clippedX), Math.floor(clippedY), Math.floor(clippedWidth), Math.floor(clippedHeight));
    }

    public boolean isEmpty() {
        return !(width > 0 && height > 0);
    }
}
