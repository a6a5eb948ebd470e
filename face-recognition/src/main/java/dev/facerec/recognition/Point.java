package dev.facerec.recognition;

import java.util.List;

/** A point in image pixels. */
public record Point(double x, double y) {

    /** Euclidean distance, written as face-api's {@code magnitude()} so the floors taken on it round alike. */
    public double distanceTo(Point other) {
        double dx = x - other.x;
        double dy = y - other.y;
        return Math.sqrt(dx * dx + dy * dy);
    }

    /** The mean of the points, summed in order as face-api's {@code getCenterPoint}. */
    public static Point centre(List<Point> points) {
        double sumX = 0;
        double sumY = 0;
        for (Point p : points) {
            sumX += p.x;
            sumY += p.y;
        }
        return new Point(sumX / points.size(), sumY / points.size());
    }
}
