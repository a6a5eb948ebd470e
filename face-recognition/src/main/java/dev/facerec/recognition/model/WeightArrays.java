package dev.facerec.recognition.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Turns TF.js tensors into NDArrays laid out for PyTorch's NCHW ops, once, when a net is loaded (the permutations are
 * done here in Java so every forward pass gets contiguous weights).
 */
final class WeightArrays {

    private final TfjsWeights weights;
    private final NDManager manager;

    WeightArrays(TfjsWeights weights, NDManager manager) {
        this.weights = weights;
        this.manager = manager;
    }

    /** A convolution filter: TF.js HWIO to PyTorch OIHW. */
    NDArray convFilter(String name) {
        return permuted(name, 3, 2, 0, 1);
    }

    /**
     * A first layer's filter over RGB, with a zero fourth input channel to match {@link TfLayers#fourChannels}
     * (libtorch convolves 4 channels several times faster than 3).
     */
    NDArray rgbConvFilter(String name) {
        try (NDArray filter = convFilter(name)) {
            return TfLayers.fourChannels(filter);
        }
    }

    /** A depthwise filter (channel multiplier 1): TF.js [H, W, C, 1] to PyTorch's grouped-conv [C, 1, H, W]. */
    NDArray depthwiseFilter(String name) {
        return permuted(name, 2, 3, 0, 1);
    }

    /** A per-channel vector as given, e.g. a convolution bias. */
    NDArray vector(String name) {
        return array(weights.get(name), 1);
    }

    /** A per-channel vector shaped [1, C, 1, 1], to broadcast over NCHW activations. */
    NDArray channelVector(String name) {
        return vector(name).reshape(1, -1, 1, 1);
    }

    /** A [in, out] matrix as given, for {@code x.matMul(m)}. */
    NDArray matrix(String name) {
        return array(weights.get(name), 2);
    }

    private NDArray array(TfjsWeights.Tensor t, int rank) {
        requireRank(t, rank);
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = t.shape()[i];
        }
        return manager.create(t.values(), new Shape(shape));
    }

    /** Transposes a rank-4 tensor: output axis {@code k} is input axis {@code perm[k]}. */
    private NDArray permuted(String name, int... perm) {
        TfjsWeights.Tensor t = weights.get(name);
        requireRank(t, 4);
        int[] in = t.shape();
        int[] inStride = {in[1] * in[2] * in[3], in[2] * in[3], in[3], 1};
        int[] out = {in[perm[0]], in[perm[1]], in[perm[2]], in[perm[3]]};
        float[] src = t.values();
        float[] dst = new float[src.length];
        int i = 0;
        for (int a = 0; a < out[0]; a++) {
            for (int b = 0; b < out[1]; b++) {
                for (int c = 0; c < out[2]; c++) {
                    for (int d = 0; d < out[3]; d++) {
                        dst[i++] = src[a * inStride[perm[0]] + b * inStride[perm[1]]
                            + c * inStride[perm[2]] + d * inStride[perm[3]]];
                    }
                }
            }
        }
        return manager.create(dst, new Shape(out[0], out[1], out[2], out[3]));
    }

    private static void requireRank(TfjsWeights.Tensor t, int rank) {
        if (t.shape().length != rank) {
            throw new IllegalArgumentException(t + " should have rank " + rank);
        }
    }
}
