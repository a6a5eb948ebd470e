package dev.facerec.recognition.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a TF.js weights manifest ({@code <model>-weights_manifest.json}) and its binary shards into named float32
 * tensors, exactly as {@code tf.io.loadWeights} decodes them: each group's shards are concatenated, its tensors lie
 * back to back in manifest order, little-endian, and uint8-quantised tensors decode as {@code q * scale + min}
 * (rounded for int32 ones). int32 tensors, constants of a converted graph such as SsdMobilenetv1's shapes, come as
 * float values, which hold them exactly. Shapes are TF.js's (convolution filters HWIO); {@link WeightArrays} lays
 * them out for PyTorch.
 */
public final class TfjsWeights {

    /** Where the bundled face-api model files lie on the class path (put there by the build). */
    public static final String CLASSPATH_DIR = "/dev/facerec/recognition/models/";

    /** One named tensor: its TF.js shape and its values, row-major. */
    public record Tensor(String name, int[] shape, float[] values) {

        public int size() {
            return values.length;
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    /** Opens a shard named by a manifest's {@code paths} entry. */
    @FunctionalInterface
    public interface ShardSource {
        InputStream open(String path) throws IOException;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Group(List<String> paths, List<Entry> weights) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(String name, int[] shape, String dtype, Quantization quantization) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Quantization(String dtype, double min, double scale) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Tensor> tensors;

    private TfjsWeights(Map<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    /** Reads {@code manifest}; its shards are looked up beside it. */
    public static TfjsWeights read(Path manifest) throws IOException {
        Path dir = manifest.toAbsolutePath().getParent();
        try (InputStream in = Files.newInputStream(manifest)) {
            return read(in, path -> Files.newInputStream(dir.resolve(path)));
        }
    }

    /** Reads the bundled model {@code name} (e.g. {@code face_recognition_model}) from the class path. */
    public static TfjsWeights fromClasspath(String name) {
        ShardSource classpath = path -> {
            InputStream in = TfjsWeights.class.getResourceAsStream(CLASSPATH_DIR + path);
            if (in == null) {
                throw new FileNotFoundException("classpath:" + CLASSPATH_DIR + path
                    + " (the build puts the face-api models there; run the module's Maven build)");
            }
            return in;
        };
        try (InputStream manifest = classpath.open(name + "-weights_manifest.json")) {
            return read(manifest, classpath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model " + name, e);
        }
    }

    public static TfjsWeights read(InputStream manifest, ShardSource shards) throws IOException {
        Group[] groups = JSON.readValue(manifest, Group[].class);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Group group : groups) {
            ByteBuffer data = ByteBuffer.wrap(concatenate(group.paths(), shards)).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry entry : group.weights()) {
                Tensor tensor = decode(entry, data);
                if (tensors.put(entry.name(), tensor) != null) {
                    throw new IOException("tensor " + entry.name() + " appears twice in the manifest");
                }
            }
            if (data.hasRemaining()) {
                throw new IOException("shards " + group.paths() + " hold " + data.remaining()
                    + " bytes more than their manifest entries describe");
            }
        }
        return new TfjsWeights(tensors);
    }

    private static byte[] concatenate(List<String> paths, ShardSource shards) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String path : paths) {
            try (InputStream in = shards.open(path)) {
                in.transferTo(out);
            }
        }
        return out.toByteArray();
    }

    private static Tensor decode(Entry entry, ByteBuffer data) throws IOException {
        boolean int32 = "int32".equals(entry.dtype());
        if (!int32 && !"float32".equals(entry.dtype())) {
            throw new IOException(entry.name() + ": dtype " + entry.dtype() + " is not supported (float32, int32)");
        }
        int size = Math.toIntExact(Arrays.stream(entry.shape()).asLongStream().reduce(1, Math::multiplyExact));
        Quantization q = entry.quantization();
        int bytes = q == null ? size * Float.BYTES : size; // int32 is 4 bytes too
        if (q != null && !"uint8".equals(q.dtype())) {
            throw new IOException(entry.name() + ": quantisation " + q.dtype() + " is not supported (uint8 only)");
        }
        if (data.remaining() < bytes) {
            throw new IOException(entry.name() + Arrays.toString(entry.shape()) + " needs " + bytes
                + " bytes, the shards have " + data.remaining() + " left");
        }
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            // tf.js computes q * scale + min in double precision, then stores it as float32 (or rounds it to int32).
            double value = q != null ? (data.get() & 0xff) * q.scale() + q.min()
                : int32 ? (double) data.getInt() : data.getFloat();
            values[i] = int32 ? exactFloat(entry, Math.round(value)) : (float) value;
        }
        return new Tensor(entry.name(), entry.shape().clone(), values);
    }

    private static float exactFloat(Entry entry, long value) throws IOException {
        if (Math.abs(value) > 1 << 24) {
            throw new IOException(entry.name() + ": int32 value " + value + " has no exact float32");
        }
        return value;
    }

    /** Tensor names in manifest order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    public Tensor get(String name) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("no tensor " + name + " in the manifest");
        }
        return tensor;
    }
}
