package dev.facerec.recognition.gallery;

import dev.facerec.recognition.Box;
import dev.facerec.recognition.RgbImage;

/**
 * How sharp a face is: the variance of the 4-neighbour Laplacian of its grey crop, the crop first scaled down (area
 * average) to at most {@link #SIDE} pixels a side. Scaling to one size makes faces of any resolution comparable; a
 * smaller face is measured as it is, never scaled up, as scaling up blurs it (a sharp 40 px face scaled up to 100 px
 * measures as low as a blurred one). In grey levels squared: 38 to 2,600 for the faces of the development and
 * course photos, a median of 8 for the same faces blurred with a Gaussian of 2% of their width.
 */
public final class Sharpness {
    /** The side the crop is scaled down to. */
    public static final int SIDE = 100;

    private Sharpness() {
    }

    /** The sharpness of the part of {@code box} inside {@code image}; 0 when that is under 3 pixels a side. */
    public static double of(RgbImage image, Box box) {
        Box crop = box.clipToImage(image.width(), image.height());
        int width = (int) crop.width();
        int height = (int) crop.height();
        if (width < 3 || height < 3) {
            return 0;
        }
        int x0 = (int) crop.x();
        int y0 = (int) crop.y();
        double[] grey = new double[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                grey[y * width + x] = 0.299 * image.sample(x0 + x, y0 + y, 0) + 0.587 * image.sample(x0 + x, y0 + y, 1)
                        + 0.114 * image.sample(x0 + x, y0 + y, 2);
            }
        }
        int w = Math.min(width, SIDE);
        int h = Math.min(height, SIDE);
        return laplacianVariance(shrink(grey, width, height, w, h), w, h);
    }

    /** {@code grey} ({@code width x height}) averaged down to {@code w x h}, one axis after the other. */
    private static double[] shrink(double[] grey, int width, int height, int w, int h) {
        double[] rows = new double[w * height];
        double[] line = new double[width];
        for (int y = 0; y < height; y++) {
            System.arraycopy(grey, y * width, line, 0, width);
            System.arraycopy(average(line, w), 0, rows, y * w, w);
        }
        double[] out = new double[w * h];
        double[] column = new double[height];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < height; y++) {
                column[y] = rows[y * w + x];
            }
            double[] shrunk = average(column, h);
            for (int y = 0; y < h; y++) {
                out[y * w + x] = shrunk[y];
            }
        }
        return out;
    }

    /** {@code in} averaged down to {@code n <= in.length} samples, each the mean of its share of {@code in}. */
    private static double[] average(double[] in, int n) {
        if (n == in.length) {
            return in.clone();
        }
        double scale = (double) in.length / n;
        double[] out = new double[n];
        for (int u = 0; u < n; u++) {
            double from = u * scale;
            double to = Math.min(in.length, (u + 1) * scale);
            double sum = 0;
            for (int i = (int) from; i < to; i++) {
                sum += (Math.min(to, i + 1) - Math.max(from, i)) * in[i];
            }
            out[u] = sum / (to - from);
        }
        return out;
    }

    private static double laplacianVariance(double[] g, int w, int h) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                double laplacian = g[i - w] + g[i + w] + g[i - 1] + g[i + 1] - 4 * g[i];
                sum += laplacian;
                squares += laplacian * laplacian;
                n++;
            }
        }
        double mean = sum / n;
        return squares / n - mean * mean;
    }
}
