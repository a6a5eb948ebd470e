package dev.facerec.recognition.model;

import static dev.facerec.recognition.model.TfLayers.Padding.SAME;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.Detection;
import dev.facerec.recognition.RgbImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * face-api's SsdMobilenetv1 face detector at input size 512: a MobileNetV1 backbone (depthwise-separable
 * convolutions with batch norm and ReLU6), eight more convolutions, six SSD box predictors over 5118 prior boxes, then
 * non-max suppression, as {@code new SsdMobilenetv1Options({minConfidence: 0.5, maxResults: 100})}.
 */
public final class SsdMobilenetv1 {

    public static final String MODEL = "ssd_mobilenetv1_model";
    public static final int INPUT_SIZE = 512;
    public static final double MIN_CONFIDENCE = 0.5;
    public static final int MAX_RESULTS = 100;
    private static final double IOU_THRESHOLD = 0.5;

    /** face-api's batch-norm epsilon: 0.001 as a float32. */
    private static final double BATCH_NORM_EPSILON = 0.0010000000474974513;
    private static final int BACKBONE_LAYERS = 13;
    /** The backbone layers whose depthwise convolution halves the feature map (layer 0 halves it too). */
    private static final Set<Integer> HALVING_LAYERS = Set.of(2, 4, 6, 12);
    /** Box predictor 0 reads this backbone layer's output (32x32); predictor 1 reads the backbone's last. */
    private static final int FIRST_PREDICTED_LAYER = 11;
    /** After the backbone; every second one halves the map and feeds box predictors 2 to 5. */
    private static final int EXTRA_LAYERS = 8;
    private static final int BOX_PREDICTORS = 6;
    /** Per prior box: its box encoding (ty, tx, th, tw), then 3 class logits. */
    private static final int BOX_ENCODING = 4;
    private static final int CLASSES = 3;
    private static final int PREDICTION = BOX_ENCODING + CLASSES;
    private static final int FACE_CLASS = 1;

    /** face-api's pointwiseConvLayer: a 'same' convolution, plus its batch norm's offset, then ReLU6. */
    private record ConvLayer(NDArray filter, NDArray offset, int stride) {
        NDArray apply(NDArray x) {
            return relu6(TfLayers.conv2d(x, filter, offset, stride, SAME));
        }
    }

    /**
     * face-api's depthwiseConvLayer (3x3 'same', {@code tf.batchNorm}, ReLU6) then a pointwise {@link ConvLayer}. The
     * batch norm is folded into the depthwise filter and a bias when the weights are loaded.
     */
    private record SeparableLayer(NDArray depthwiseFilter, NDArray depthwiseBias, int stride, ConvLayer pointwise) {
        NDArray apply(NDArray x) {
            return pointwise.apply(relu6(TfLayers.depthwiseConv2d(x, depthwiseFilter, depthwiseBias, stride, SAME)));
        }
    }

    /** face-api's boxPredictionLayer: two 1x1 convolutions, a box encoding and class logits per cell and prior. */
    private record BoxPredictor(NDArray boxFilter, NDArray boxBias, NDArray classFilter, NDArray classBias) {
        /** [N, cells * priors, 7], the priors in face-api's order: row, column, prior of the cell. */
        NDArray predict(NDArray features) {
            NDArray boxes = perPrior(TfLayers.conv2d(features, boxFilter, boxBias, 1, SAME), BOX_ENCODING);
            NDArray classes = perPrior(TfLayers.conv2d(features, classFilter, classBias, 1, SAME), CLASSES);
            return boxes.concat(classes, 2);
        }

        /** [N, priors * k, H, W] to TF's NHWC layout, reshaped to one row of k values per prior. */
        private static NDArray perPrior(NDArray x, int k) {
            return x.transpose(0, 2, 3, 1).reshape(x.getShape().get(0), -1, k);
        }
    }

    /** A face box before non-max suppression: [ymin, xmin, ymax, xmax] relative to the square input. */
    private record Candidate(double score, float[] box) {
    }

    private final ConvLayer conv0;
    private final List<SeparableLayer> backbone = new ArrayList<>();
    private final List<ConvLayer> extraLayers = new ArrayList<>();
    private final List<BoxPredictor> predictors = new ArrayList<>();
    /** The 5118 prior boxes ({@code Output/extra_dim}), each [ymin, xmin, ymax, xmax] relative to the input. */
    private final float[] priors;

    public SsdMobilenetv1(TfjsWeights weights, NDManager manager) {
        WeightArrays w = new WeightArrays(weights, manager);
        conv0 = new ConvLayer(w.rgbConvFilter("MobilenetV1/Conv2d_0_pointwise/weights"),
            w.vector("MobilenetV1/Conv2d_0_pointwise/convolution_bn_offset"), 2);
        for (int layer = 1; layer <= BACKBONE_LAYERS; layer++) {
            String prefix = "MobilenetV1/Conv2d_" + layer + "_depthwise/";
            BatchNorm norm = BatchNorm.of(weights, prefix + "BatchNorm/");
            NDArray filter;
            try (NDArray unscaled = w.depthwiseFilter(prefix + "depthwise_weights");
                 NDArray scale = manager.create(norm.scale(), new Shape(norm.scale().length, 1, 1, 1))) {
                filter = unscaled.mul(scale);
            }
            backbone.add(new SeparableLayer(filter, manager.create(norm.bias()), HALVING_LAYERS.contains(layer) ? 2 : 1,
                pointwise(w, "MobilenetV1", layer, 1)));
        }
        for (int layer = 0; layer < EXTRA_LAYERS; layer++) {
            extraLayers.add(pointwise(w, "Prediction", layer, layer % 2 == 1 ? 2 : 1));
        }
        for (int i = 0; i < BOX_PREDICTORS; i++) {
            String prefix = "Prediction/BoxPredictor_" + i + "/";
            predictors.add(new BoxPredictor(w.convFilter(prefix + "BoxEncodingPredictor/weights"),
                w.vector(prefix + "BoxEncodingPredictor/biases"), w.convFilter(prefix + "ClassPredictor/weights"),
                w.vector(prefix + "ClassPredictor/biases")));
        }
        priors = weights.get("Output/extra_dim").values();
    }

    private static ConvLayer pointwise(WeightArrays w, String scope, int layer, int stride) {
        String prefix = scope + "/Conv2d_" + layer + "_pointwise/";
        return new ConvLayer(w.convFilter(prefix + "weights"), w.vector(prefix + "convolution_bn_offset"), stride);
    }

    /**
     * {@code tf.batchNorm(x, mean, variance, beta, gamma)} as {@code x * scale + bias}, per channel: computed in double
     * from the float32 weights, as tf.js does, and stored as float32.
     */
    private record BatchNorm(float[] scale, float[] bias) {
        static BatchNorm of(TfjsWeights weights, String prefix) {
            float[] gamma = weights.get(prefix + "gamma").values();
            float[] beta = weights.get(prefix + "beta").values();
            float[] mean = weights.get(prefix + "moving_mean").values();
            float[] variance = weights.get(prefix + "moving_variance").values();
            float[] scale = new float[gamma.length];
            float[] bias = new float[gamma.length];
            for (int c = 0; c < gamma.length; c++) {
                double s = gamma[c] / Math.sqrt(variance[c] + BATCH_NORM_EPSILON);
                scale[c] = (float) s;
                bias[c] = (float) (beta[c] - mean[c] * s);
            }
            return new BatchNorm(scale, bias);
        }
    }

    /** Faces in {@code image}, highest score first; the arrays it leaves live in {@code scope}. */
    public List<Detection> detect(RgbImage image, NDManager scope) {
        return postprocess(predictions(image, scope), image.width(), image.height());
    }

    /** The net's output for {@code image}: per prior box, its 4 box-encoding values and 3 class logits. */
    float[] predictions(RgbImage image, NDManager scope) {
        NDArray input = SquareImage.toBatch(List.of(preprocess(image)), SsdMobilenetv1::normalise, scope);
        return forward(input).toFloatArray();
    }

    /** The whole image, zero-padded at the bottom or right to a square, resized to 512. */
    public SquareImage preprocess(RgbImage image) {
        return SquareImage.detectorInput(image, INPUT_SIZE);
    }

    /** face-api's {@code x / 127.5 - 1} (to -1..1), in float32 as tf.js's div then sub. */
    private static float normalise(float value, int channel) {
        return value / 127.5f - 1f;
    }

    /** [N, 3, 512, 512] normalised input to [N, 5118, 7]: each prior box's encoding and class logits. */
    NDArray forward(NDArray x) {
        List<NDArray> predictions = new ArrayList<>();
        NDArray out = Scoped.apply(x, in -> conv0.apply(TfLayers.fourChannels(in)));
        for (int layer = 1; layer <= backbone.size(); layer++) {
            out = Scoped.apply(out, backbone.get(layer - 1)::apply);
            if (layer == FIRST_PREDICTED_LAYER) {
                predictions.add(predictors.get(0).predict(out));
            }
        }
        predictions.add(predictors.get(1).predict(out));
        for (int layer = 0; layer < extraLayers.size(); layer++) {
            out = Scoped.apply(out, extraLayers.get(layer)::apply);
            if (layer % 2 == 1) {
                predictions.add(predictors.get(predictions.size()).predict(out));
            }
        }
        return NDArrays.concat(new NDList(predictions), 1);
    }

    /** {@code tf.clipByValue(x, 0, 6)}. */
    private static NDArray relu6(NDArray x) {
        return x.clip(0, 6);
    }

    /**
     * The rest of {@code SsdMobilenetv1.locateFaces} for one image's predictions: outputLayer's face scores and
     * decoded boxes, then {@link #select}.
     */
    List<Detection> postprocess(float[] predictions, int imageWidth, int imageHeight) {
        float[][] boxes = new float[priors.length / 4][];
        for (int prior = 0; prior < boxes.length; prior++) {
            boxes[prior] = decode(predictions, prior);
        }
        return select(boxes, faceScores(predictions), imageWidth, imageHeight);
    }

    /** Each prior box's face score: the sigmoid of its face-class logit. */
    double[] faceScores(float[] predictions) {
        double[] scores = new double[priors.length / 4];
        for (int prior = 0; prior < scores.length; prior++) {
            scores[prior] = sigmoid(predictions[prior * PREDICTION + BOX_ENCODING + FACE_CLASS]);
        }
        return scores;
    }

    /**
     * locateFaces after the net: the boxes ([ymin, xmin, ymax, xmax] relative to the square input) that score above
     * 0.5, highest first, each kept unless it overlaps a kept one by IoU over 0.5, at most 100, as face-api's
     * ssdMobilenetv1 nonMaxSuppression does it (in double, as JavaScript; not {@link NonMaxSuppression}, the tiny
     * detector's: IoU from the corners, equal scores in box order); then mapped from the square to image pixels.
     */
    static List<Detection> select(float[][] boxes, double[] scores, int imageWidth, int imageHeight) {
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < boxes.length; i++) {
            if (scores[i] > MIN_CONFIDENCE) {
                candidates.add(new Candidate(scores[i], boxes[i]));
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed()); // stable, as Array.prototype.sort

        List<Candidate> selected = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (selected.size() == MAX_RESULTS) {
                break;
            }
            if (selected.stream().allMatch(kept -> iou(candidate.box(), kept.box()) <= IOU_THRESHOLD)) {
                selected.add(candidate);
            }
        }

        SquareImage.PaddingRatio ratio = SquareImage.PaddingRatio.of(imageWidth, imageHeight, INPUT_SIZE);
        return selected.stream().map(c -> new Detection(toImagePixels(c.box(), ratio, imageWidth, imageHeight),
            c.score())).toList();
    }

    /** tf.sigmoid in float32; the score then stays that float32's value, as face-api reads it from the tensor. */
    private static double sigmoid(float logit) {
        return (float) (1 / (1 + StrictMath.exp(-logit))); // StrictMath.exp is fdlibm's, as V8's Math.exp
    }

    /** outputLayer's decodeBoxesLayer for one prior: its encoding applied to it, scaled by 10 (centre) and 5 (size). */
    private float[] decode(float[] predictions, int prior) {
        int at = prior * PREDICTION;
        int p = prior * 4;
        float height = priors[p + 2] - priors[p];
        float width = priors[p + 3] - priors[p + 1];
        float centreY = priors[p] + height / 2;
        float centreX = priors[p + 1] + width / 2;
        float halfHeight = (float) StrictMath.exp(predictions[at + 2] / 5) * height / 2;
        float halfWidth = (float) StrictMath.exp(predictions[at + 3] / 5) * width / 2;
        float y = predictions[at] / 10 * height + centreY;
        float x = predictions[at + 1] / 10 * width + centreX;
        return new float[] {y - halfHeight, x - halfWidth, y + halfHeight, x + halfWidth};
    }

    /**
     * face-api's IOU of two [ymin, xmin, ymax, xmax] boxes (its min/max of the corners change nothing: decoded boxes
     * never come out inverted, the priors all having a positive size); a box without area overlaps nothing.
     */
    private static double iou(float[] a, float[] b) {
        double areaA = ((double) a[2] - a[0]) * ((double) a[3] - a[1]);
        double areaB = ((double) b[2] - b[0]) * ((double) b[3] - b[1]);
        if (areaA <= 0 || areaB <= 0) {
            return 0;
        }
        double height = Math.max(Math.min(a[2], b[2]) - (double) Math.max(a[0], b[0]), 0.0);
        double width = Math.max(Math.min(a[3], b[3]) - (double) Math.max(a[1], b[1]), 0.0);
        double intersection = height * width;
        return intersection / (areaA + areaB - intersection);
    }

    /**
     * locateFaces' mapping: the box clipped to [0, 1] of the square, scaled to the image's share of it, then to
     * pixels. A box wholly outside the image comes out with a negative size (face-api's Rect throws on it instead).
     */
    private static Box toImagePixels(float[] box, SquareImage.PaddingRatio ratio, int imageWidth, int imageHeight) {
        double top = Math.max(0, box[0]) * ratio.y();
        double bottom = Math.min(1.0, box[2]) * ratio.y();
        double left = Math.max(0, box[1]) * ratio.x();
        double right = Math.min(1.0, box[3]) * ratio.x();
        return new Box(left * imageWidth, top * imageHeight, (right - left) * imageWidth, (bottom - top) * imageHeight);
    }
}
