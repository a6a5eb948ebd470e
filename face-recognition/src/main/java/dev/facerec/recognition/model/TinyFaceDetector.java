package dev.facerec.recognition.model;

import static dev.facerec.recognition.model.TfLayers.Padding.SAME;
import static dev.facerec.recognition.model.TfLayers.Padding.VALID;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.Detection;
import dev.facerec.recognition.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's TinyFaceDetector (a Tiny-YOLOv2 with depthwise-separable convolutions, one class, 5 anchors) with score
 * threshold 0.5, as {@code new TinyFaceDetectorOptions({inputSize, scoreThreshold: 0.5})}; input size 416 unless
 * another multiple of 32 is given.
 */
public final class TinyFaceDetector {

    public static final String MODEL = "tiny_face_detector_model";
    public static final int INPUT_SIZE = 416;
    public static final double SCORE_THRESHOLD = 0.5;
    private static final double IOU_THRESHOLD = 0.4;

    private static final float[] MEAN_RGB = {117.001f, 114.697f, 97.404f};
    /** Anchor sizes in grid cells, {width, height}. */
    private static final double[][] ANCHORS = {
        {1.603231, 2.094468}, {6.041143, 7.080126}, {2.882459, 3.518061}, {4.266906, 5.178857}, {9.041765, 10.66308},
    };
    private static final int BOX_ENCODING = 5; // x, y, w, h, objectness

    private record SeparableConv(NDArray depthwise, NDArray pointwise, NDArray bias) {
        // face-api pads by 1 then convolves 'valid': the same as 'same' for a 3x3 filter at stride 1.
        NDArray apply(NDArray x) {
            return TfLayers.separableConv2d(x, depthwise, pointwise, bias, 1, SAME);
        }
    }

    private final int inputSize;
    private final double scoreThreshold;
    private final NDArray conv0Filter;
    private final NDArray conv0Bias;
    private final List<SeparableConv> separable = new ArrayList<>();
    private final NDArray conv8Filter;
    private final NDArray conv8Bias;

    public TinyFaceDetector(TfjsWeights weights, NDManager manager) {
        this(weights, manager, INPUT_SIZE);
    }

    /** At another input size: a larger one finds smaller faces, at the square of the cost. */
    public TinyFaceDetector(TfjsWeights weights, NDManager manager, int inputSize) {
        this(weights, manager, inputSize, SCORE_THRESHOLD);
    }

    /** At another input size, keeping the boxes scored above {@code scoreThreshold}. */
    public TinyFaceDetector(TfjsWeights weights, NDManager manager, int inputSize, double scoreThreshold) {
        if (inputSize < 32 || inputSize % 32 != 0) {
            throw new IllegalArgumentException("the input size must be a multiple of 32, not " + inputSize);
        }
        this.inputSize = inputSize;
        this.scoreThreshold = scoreThreshold;
        WeightArrays w = new WeightArrays(weights, manager);
        conv0Filter = w.rgbConvFilter("conv0/filters");
        conv0Bias = w.vector("conv0/bias");
        for (int i = 1; i <= 5; i++) {
            separable.add(new SeparableConv(w.depthwiseFilter("conv" + i + "/depthwise_filter"),
                w.convFilter("conv" + i + "/pointwise_filter"), w.vector("conv" + i + "/bias")));
        }
        conv8Filter = w.convFilter("conv8/filters");
        conv8Bias = w.vector("conv8/bias");
    }

    /** Faces in {@code image}, highest score first; the arrays it leaves live in {@code scope}. */
    public List<Detection> detect(RgbImage image, NDManager scope) {
        NDArray input = SquareImage.toBatch(List.of(preprocess(image)), MEAN_RGB, scope);
        float[] grid = forward(input).toFloatArray();
        return postprocess(grid, image.width(), image.height());
    }

    /** The whole image, zero-padded at the bottom or right to a square, resized to the input size. */
    public SquareImage preprocess(RgbImage image) {
        return SquareImage.detectorInput(image, inputSize);
    }

    /** [N, 3, S, S] normalised input to the raw [N, 25, S/32, S/32] grid (per anchor: x, y, w, h, score). */
    NDArray forward(NDArray x) {
        NDArray out = Scoped.apply(x,
            in -> poolAndLeaky(TfLayers.conv2d(TfLayers.fourChannels(in), conv0Filter, conv0Bias, 1, VALID), 2));
        for (int i = 0; i < separable.size(); i++) {
            SeparableConv conv = separable.get(i);
            int stride = i < separable.size() - 1 ? 2 : 1; // the last pool keeps the S/32 grid
            out = Scoped.apply(out, in -> poolAndLeaky(conv.apply(in), stride));
        }
        return Scoped.apply(out, in -> TfLayers.conv2d(in, conv8Filter, conv8Bias, 1, VALID));
    }

    /**
     * face-api's leaky ReLU then 'same' 2x2 max-pool, done the other way round: the two commute (the activation is
     * monotonic), and the activation then runs on a quarter of the values.
     */
    private static NDArray poolAndLeaky(NDArray x, int stride) {
        return leaky(TfLayers.maxPool(x, 2, stride, SAME));
    }

    /** face-api's {@code relu(x - 0.1x) + 0.1x} is a leaky ReLU of slope 0.1. */
    private static NDArray leaky(NDArray x) {
        return Activation.leakyRelu(x, 0.1f);
    }

    /**
     * TinyYolov2Base.extractBoxes plus non-max suppression: decodes the grid of one image into boxes relative to the
     * (unpadded) image, keeps scores above the threshold, suppresses overlaps, scales to image pixels.
     */
    List<Detection> postprocess(float[] grid, int imageWidth, int imageHeight) {
        int cells = inputSize / 32;
        int plane = cells * cells;
        SquareImage.PaddingRatio correction = SquareImage.PaddingRatio.of(imageWidth, imageHeight, inputSize);
        double correctionX = correction.x();
        double correctionY = correction.y();

        List<Box> boxes = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int row = 0; row < cells; row++) {
            for (int col = 0; col < cells; col++) {
                for (int anchor = 0; anchor < ANCHORS.length; anchor++) {
                    int at = anchor * BOX_ENCODING * plane + row * cells + col;
                    double score = sigmoid(grid[at + 4 * plane]);
                    if (score > scoreThreshold) {
                        double centreX = (col + sigmoid(grid[at])) / cells * correctionX;
                        double centreY = (row + sigmoid(grid[at + plane])) / cells * correctionY;
                        double width = StrictMath.exp(grid[at + 2 * plane]) * ANCHORS[anchor][0] / cells
                            * correctionX;
                        double height = StrictMath.exp(grid[at + 3 * plane]) * ANCHORS[anchor][1] / cells
                            * correctionY;
                        boxes.add(new Box(centreX - width / 2, centreY - height / 2, width, height));
                        scores.add(score);
                    }
                }
            }
        }

        List<Detection> detections = new ArrayList<>();
        for (int i : NonMaxSuppression.kept(boxes, scores, IOU_THRESHOLD)) {
            Box relative = boxes.get(i);
            Box box = new Box(relative.x() * imageWidth, relative.y() * imageHeight,
                relative.width() * imageWidth, relative.height() * imageHeight);
            detections.add(new Detection(box, scores.get(i)));
        }
        return detections;
    }

    // StrictMath.exp is fdlibm's, as V8's Math.exp, so scores and boxes round as the reference's.
    private static double sigmoid(double x) {
        return 1 / (1 + StrictMath.exp(-x));
    }
}
