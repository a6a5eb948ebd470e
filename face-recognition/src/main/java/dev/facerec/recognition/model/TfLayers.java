package dev.facerec.recognition.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * TF.js's convolution and pooling semantics on PyTorch NCHW arrays. TF's 'same' padding can be asymmetric (stride 2
 * on an even size pads 0 before and 1 after), which PyTorch's own padding argument cannot express, so such inputs
 * are padded explicitly: zeros for convolutions, -infinity for max-pools.
 */
final class TfLayers {

    enum Padding { VALID, SAME }

    private TfLayers() {
    }

    static NDArray conv2d(NDArray x, NDArray filter, NDArray bias, int stride, Padding padding) {
        return convolve(x, filter, bias, stride, padding, 1);
    }

    /** {@code tf.depthwiseConv2d} (channel multiplier 1; filter [C, 1, H, W]) plus bias, which may be null. */
    static NDArray depthwiseConv2d(NDArray x, NDArray filter, NDArray bias, int stride, Padding padding) {
        return convolve(x, filter, bias, stride, padding, Math.toIntExact(x.getShape().get(1)));
    }

    /** {@code tf.separableConv2d} (depthwise, then pointwise) plus bias. */
    static NDArray separableConv2d(NDArray x, NDArray depthwise, NDArray pointwise, NDArray bias, int stride,
                                   Padding padding) {
        NDArray spatial = depthwiseConv2d(x, depthwise, null, stride, padding);
        return convolve(spatial, pointwise, bias, 1, Padding.VALID, 1);
    }

    /**
     * Max-pool as the maximum of the k*k strided views of the input: libtorch's max_pool2d (which also works out
     * argmax indices) took 5-10x longer here.
     */
    static NDArray maxPool(NDArray x, int kernel, int stride, Padding padding) {
        int[] pads = pads(x, kernel, stride, padding);
        NDArray padded = pads == null ? x : pad(x, pads, Double.NEGATIVE_INFINITY);
        long outH = (padded.getShape().get(2) - kernel) / stride + 1;
        long outW = (padded.getShape().get(3) - kernel) / stride + 1;
        NDArray out = null;
        for (int dy = 0; dy < kernel; dy++) {
            for (int dx = 0; dx < kernel; dx++) {
                NDArray view = padded.get(new NDIndex(":, :, {}:{}:{}, {}:{}:{}",
                    dy, dy + (outH - 1) * stride + 1, stride, dx, dx + (outW - 1) * stride + 1, stride));
                out = out == null ? view : out.maximum(view);
            }
        }
        return out;
    }

    /**
     * Pads axis 1 (the channels of an activation, the input channels of an OIHW filter) from 3 to 4 with zeros.
     * libtorch's convolution over 3 input channels took 4-5x as long as over 4 here; the sums are unchanged.
     */
    static NDArray fourChannels(NDArray x) {
        return x.pad(new Shape(0, 0, 0, 0, 0, 4 - x.getShape().get(1)), 0);
    }

    /** 'valid' average pool. */
    static NDArray avgPool(NDArray x, int kernel, int stride) {
        return Pool.avgPool2d(x, new Shape(kernel, kernel), new Shape(stride, stride), new Shape(0, 0), false, true);
    }

    private static NDArray convolve(NDArray x, NDArray filter, NDArray bias, int stride, Padding padding, int groups) {
        int kernel = Math.toIntExact(filter.getShape().get(2));
        int[] pads = pads(x, kernel, stride, padding);
        Shape convPadding = new Shape(0, 0);
        NDArray input = x;
        if (pads != null && pads[0] == pads[1] && pads[2] == pads[3]) {
            convPadding = new Shape(pads[0], pads[2]);
        } else if (pads != null) {
            input = pad(x, pads, 0);
        }
        return Conv2d.conv2d(input, filter, bias, new Shape(stride, stride), convPadding, new Shape(1, 1), groups)
            .singletonOrThrow();
    }

    /** Pads H and W by {top, bottom, left, right} (PyTorch's pad takes the last axis first). */
    private static NDArray pad(NDArray x, int[] pads, double value) {
        return x.pad(new Shape(pads[2], pads[3], pads[0], pads[1]), value);
    }

    /**
     * TF's 'same' padding as {top, bottom, left, right} (out = ceil(in / stride), the odd pixel after), or null when
     * nothing is padded.
     */
    private static int[] pads(NDArray x, int kernel, int stride, Padding padding) {
        if (padding == Padding.VALID) {
            return null;
        }
        int[] h = samePads(x.getShape().get(2), kernel, stride);
        int[] w = samePads(x.getShape().get(3), kernel, stride);
        if (h[0] + h[1] + w[0] + w[1] == 0) {
            return null;
        }
        return new int[] {h[0], h[1], w[0], w[1]};
    }

    private static int[] samePads(long size, int kernel, int stride) {
        long out = (size + stride - 1) / stride;
        int total = (int) Math.max((out - 1) * stride + kernel - size, 0);
        return new int[] {total / 2, total - total / 2};
    }
}
