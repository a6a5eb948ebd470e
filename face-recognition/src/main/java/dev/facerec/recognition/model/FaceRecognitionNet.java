package dev.facerec.recognition.model;

import static dev.facerec.recognition.model.TfLayers.Padding.SAME;
import static dev.facerec.recognition.model.TfLayers.Padding.VALID;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.Descriptor;
import dev.facerec.recognition.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * face-api's FaceRecognitionNet: dlib's face-recognition ResNet (29 convolutions, "ResNet-34 with layers removed and
 * filters halved"), a 150x150 RGB crop to a 128-d descriptor. No fc bias and no L2 normalisation, as face-api.
 */
public final class FaceRecognitionNet {

    public static final String MODEL = "face_recognition_model";
    public static final int INPUT_SIZE = 150;

    /** Convolution plus bias, then dlib's affine "scale" layer (per-channel multiply and add). */
    private record ConvLayer(NDArray filter, NDArray bias, NDArray scale, NDArray shift) {
        static ConvLayer load(WeightArrays w, String prefix, Function<String, NDArray> filters) {
            return new ConvLayer(filters.apply(prefix + "/conv/filters"), w.vector(prefix + "/conv/bias"),
                w.channelVector(prefix + "/scale/weights"), w.channelVector(prefix + "/scale/biases"));
        }

        NDArray apply(NDArray x, int stride, TfLayers.Padding padding) {
            return TfLayers.conv2d(x, filter, bias, stride, padding).mul(scale).add(shift);
        }
    }

    /** Two convolutions and a shortcut; a "down" block halves the size with a stride-2 convolution. */
    private record Residual(ConvLayer conv1, ConvLayer conv2, boolean down) {
        NDArray apply(NDArray x) {
            NDArray out = Activation.relu(down ? conv1.apply(x, 2, VALID) : conv1.apply(x, 1, SAME));
            out = conv2.apply(out, 1, SAME);
            NDArray shortcut = x;
            if (down) {
                shortcut = TfLayers.avgPool(x, 2, 2);
                if (out.getShape().get(2) != shortcut.getShape().get(2)
                    || out.getShape().get(3) != shortcut.getShape().get(3)) {
                    // 'valid' stride 2 on an even size loses a row and column to the pool: face-api appends zeros.
                    out = out.pad(new Shape(0, 1, 0, 1), 0);
                }
                long missingChannels = out.getShape().get(1) - shortcut.getShape().get(1);
                if (missingChannels > 0) {
                    shortcut = shortcut.pad(new Shape(0, 0, 0, 0, 0, missingChannels), 0);
                }
            }
            return Activation.relu(out.add(shortcut));
        }
    }

    private final ConvLayer stem;
    private final List<Residual> blocks = new ArrayList<>();
    private final NDArray fc;

    public FaceRecognitionNet(TfjsWeights weights, NDManager manager) {
        WeightArrays w = new WeightArrays(weights, manager);
        stem = ConvLayer.load(w, "conv32_down", w::rgbConvFilter);
        for (String name : List.of("conv32_1", "conv32_2", "conv32_3", "conv64_down", "conv64_1", "conv64_2",
            "conv64_3", "conv128_down", "conv128_1", "conv128_2", "conv256_down", "conv256_1", "conv256_2",
            "conv256_down_out")) {
            blocks.add(new Residual(ConvLayer.load(w, name + "/conv1", w::convFilter),
                ConvLayer.load(w, name + "/conv2", w::convFilter), name.contains("down")));
        }
        fc = w.matrix("fc");
    }

    /**
     * Descriptors of the given crops of {@code image} (e.g. dlib-style align boxes, each overlapping the image), one
     * forward pass for all; the arrays it leaves live in {@code scope}.
     */
    public List<Descriptor> describe(RgbImage image, List<Box> crops, NDManager scope) {
        return describe(crops.stream().map(crop -> preprocess(image, crop)).toList(), scope);
    }

    /** Descriptors of ready-made 150x150 inputs, one forward pass for all. */
    public List<Descriptor> describe(List<SquareImage> inputs, NDManager scope) {
        if (inputs.isEmpty()) {
            return List.of();
        }
        float[] out = forward(SquareImage.toBatch(inputs, SquareImage.FACE_MEAN_RGB, scope)).toFloatArray();
        List<Descriptor> descriptors = new ArrayList<>(inputs.size());
        for (int n = 0; n < inputs.size(); n++) {
            int from = n * Descriptor.LENGTH;
            descriptors.add(new Descriptor(Arrays.copyOfRange(out, from, from + Descriptor.LENGTH)));
        }
        return descriptors;
    }

    /** face-api's extractFaceTensors crop (clipped to the image, floored), centred pad, resize to 150. */
    public SquareImage preprocess(RgbImage image, Box crop) {
        return SquareImage.fromRegion(image, crop.clipToImage(image.width(), image.height()), INPUT_SIZE,
            SquareImage.Padding.CENTRED);
    }

    /** [N, 3, 150, 150] normalised input to [N, 128]. */
    NDArray forward(NDArray x) {
        NDArray out = Scoped.apply(x,
            in -> TfLayers.maxPool(Activation.relu(stem.apply(TfLayers.fourChannels(in), 2, VALID)), 3, 2, VALID));
        for (Residual block : blocks) {
            out = Scoped.apply(out, block::apply);
        }
        // Global average over the remaining 2x2 positions (PtNDArray.mean reduces one axis at a time).
        return Scoped.apply(out, in -> in.reshape(in.getShape().get(0), in.getShape().get(1), -1).mean(new int[] {2})
            .matMul(fc));
    }
}
