package dev.facerec.recognition.model;

import static dev.facerec.recognition.model.TfLayers.Padding.SAME;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import dev.facerec.recognition.Box;
import dev.facerec.recognition.Landmarks;
import dev.facerec.recognition.Point;
import dev.facerec.recognition.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * face-api's FaceLandmark68Net: four dense blocks of depthwise-separable convolutions on a 112x112 crop, then a
 * fully connected layer to 68 (x, y) points relative to the crop.
 */
public final class FaceLandmark68Net {

    public static final String MODEL = "face_landmark_68_model";
    public static final int INPUT_SIZE = 112;

    /** conv0 of the first block is a plain convolution (depthwise null); all others are separable. */
    private record Conv(NDArray depthwise, NDArray filter, NDArray bias) {
        NDArray apply(NDArray x, int stride) {
            return depthwise == null
                ? TfLayers.conv2d(x, filter, bias, stride, SAME)
                : TfLayers.separableConv2d(x, depthwise, filter, bias, stride, SAME);
        }
    }

    private final List<List<Conv>> denseBlocks = new ArrayList<>();
    private final NDArray fcWeights;
    private final NDArray fcBias;

    public FaceLandmark68Net(TfjsWeights weights, NDManager manager) {
        WeightArrays w = new WeightArrays(weights, manager);
        for (int block = 0; block < 4; block++) {
            List<Conv> convs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String prefix = "dense" + block + "/conv" + i + "/";
                convs.add(block == 0 && i == 0
                    ? new Conv(null, w.rgbConvFilter(prefix + "filters"), w.vector(prefix + "bias"))
                    : new Conv(w.depthwiseFilter(prefix + "depthwise_filter"),
                        w.convFilter(prefix + "pointwise_filter"), w.vector(prefix + "bias")));
            }
            denseBlocks.add(convs);
        }
        fcWeights = w.matrix("fc/weights");
        fcBias = w.vector("fc/bias");
    }

    /**
     * Landmarks of each detected face (boxes overlapping the image), in image pixels, one forward pass for all;
     * the arrays it leaves live in {@code scope}.
     */
    public List<Landmarks> detect(RgbImage image, List<Box> faces, NDManager scope) {
        if (faces.isEmpty()) {
            return List.of();
        }
        List<SquareImage> inputs = faces.stream().map(face -> preprocess(image, face)).toList();
        float[] out = forward(SquareImage.toBatch(inputs, SquareImage.FACE_MEAN_RGB, scope)).toFloatArray();
        List<Landmarks> landmarks = new ArrayList<>(faces.size());
        for (int n = 0; n < faces.size(); n++) {
            Box face = faces.get(n);
            landmarks.add(postprocess(out, n, face.clipToImage(image.width(), image.height()), face));
        }
        return landmarks;
    }

    /** face-api's extractFaceTensors crop (the box clipped to the image, floored), centred pad, resize to 112. */
    public SquareImage preprocess(RgbImage image, Box face) {
        return SquareImage.fromRegion(image, face.clipToImage(image.width(), image.height()), INPUT_SIZE,
            SquareImage.Padding.CENTRED);
    }

    /** [N, 3, 112, 112] normalised input to [N, 136]: x, y interleaved, relative to the padded square. */
    NDArray forward(NDArray x) {
        NDArray out = Scoped.apply(x, TfLayers::fourChannels);
        for (List<Conv> block : denseBlocks) {
            out = Scoped.apply(out, in -> denseBlock(in, block));
        }
        return Scoped.apply(out, in -> TfLayers.avgPool(in, 7, 2).reshape(in.getShape().get(0), -1)
            .matMul(fcWeights).add(fcBias));
    }

    private static NDArray denseBlock(NDArray x, List<Conv> convs) {
        NDArray out1 = Activation.relu(convs.get(0).apply(x, 2));
        NDArray out2 = convs.get(1).apply(out1, 1);
        NDArray out3 = convs.get(2).apply(Activation.relu(out1.add(out2)), 1);
        NDArray out4 = convs.get(3).apply(Activation.relu(out1.add(out2.add(out3))), 1);
        return Activation.relu(out1.add(out2.add(out3.add(out4))));
    }

    /**
     * FaceLandmark68NetBase.postProcess (float32, as the tensors it runs on) removes the centring pad and scales to
     * the crop; face-api then shifts by the detection box's unfloored corner, not the floored crop's.
     */
    private static Landmarks postprocess(float[] out, int n, Box crop, Box face) {
        double width = crop.width();
        double height = crop.height();
        double scale = INPUT_SIZE / Math.max(width, height);
        double scaledWidth = width * scale;
        double scaledHeight = height * scale;
        // face-api fills float32 tensors with these, then multiplies, subtracts and divides in float32
        float padX = (float) (scaledWidth < scaledHeight ? (scaledHeight - scaledWidth) / 2 : 0);
        float padY = (float) (scaledHeight < scaledWidth ? (scaledWidth - scaledHeight) / 2 : 0);
        float divX = (float) scaledWidth;
        float divY = (float) scaledHeight;
        List<Point> points = new ArrayList<>(Landmarks.COUNT);
        int base = n * Landmarks.COUNT * 2;
        for (int i = 0; i < Landmarks.COUNT; i++) {
            float relX = (out[base + 2 * i] * INPUT_SIZE - padX) / divX;
            float relY = (out[base + 2 * i + 1] * INPUT_SIZE - padY) / divY;
            points.add(new Point(relX * width + face.x(), relY * height + face.y()));
        }
        return new Landmarks(points, (int) width, (int) height);
    }
}
