package dev.facerec.recognition.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsWeightsTest {

    @TempDir
    Path dir;

    // Two groups; the first spread over two shards, mixing a uint8-quantised and a float32 tensor.
    private static final String MANIFEST = """
        [
          {"paths": ["a.bin", "b.bin"], "weights": [
            {"name": "layer/q", "shape": [2, 3], "dtype": "float32",
             "quantization": {"dtype": "uint8", "min": -1.5, "scale": 0.25}},
            {"name": "layer/f", "shape": [2], "dtype": "float32"}
          ]},
          {"paths": ["c.bin"], "weights": [
            {"name": "other/q", "shape": [1, 1, 2, 1], "dtype": "float32",
             "quantization": {"dtype": "uint8", "min": 0.1, "scale": 0.003}}
          ]}
        ]
        """;

    private void write(String manifest, byte[] a, byte[] b, byte[] c) throws IOException {
        Files.writeString(dir.resolve("m-weights_manifest.json"), manifest);
        Files.write(dir.resolve("a.bin"), a);
        Files.write(dir.resolve("b.bin"), b);
        Files.write(dir.resolve("c.bin"), c);
    }

    private static byte[] floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] out = new byte[first.length + second.length];
        System.arraycopy(first, 0, out, 0, first.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }

    @Test
    void decodesTensorsInManifestOrderAcrossShards() throws IOException {
        // Shard a holds the 6 quantised bytes and the first 2 bytes of the float tensor; shard b the rest.
        byte[] group = concat(new byte[] {0, 1, 2, 10, (byte) 200, (byte) 255}, floats(3.25f, -7.5e-3f));
        write(MANIFEST, Arrays.copyOf(group, 8), Arrays.copyOfRange(group, 8, group.length),
            new byte[] {0, (byte) 128});

        TfjsWeights weights = TfjsWeights.read(dir.resolve("m-weights_manifest.json"));

        assertThat(weights.names()).containsExactly("layer/q", "layer/f", "other/q");
        TfjsWeights.Tensor q = weights.get("layer/q");
        assertThat(q.shape()).containsExactly(2, 3);
        assertThat(q.values()).containsExactly(-1.5f, -1.25f, -1.0f, 1.0f, 48.5f, 62.25f);
        assertThat(weights.get("layer/f").values()).containsExactly(3.25f, -7.5e-3f);
        TfjsWeights.Tensor other = weights.get("other/q");
        assertThat(other.shape()).containsExactly(1, 1, 2, 1);
        // q * scale + min in double, rounded once to float32, as tf.js
        assertThat(other.values()).containsExactly(0.1f, (float) (128 * 0.003 + 0.1));
    }

    @Test
    void rejectsShardsShorterOrLongerThanTheManifest() throws IOException {
        byte[] group = concat(new byte[6], floats(1, 2));
        write(MANIFEST, group, new byte[0], new byte[1]);
        assertThatThrownBy(() -> TfjsWeights.read(dir.resolve("m-weights_manifest.json")))
            .hasMessageContaining("other/q");

        write(MANIFEST, group, new byte[] {9}, new byte[2]);
        assertThatThrownBy(() -> TfjsWeights.read(dir.resolve("m-weights_manifest.json")))
            .hasMessageContaining("1 bytes more");
    }

    @Test
    void rejectsUnsupportedQuantisation() throws IOException {
        write(MANIFEST.replace("\"dtype\": \"uint8\", \"min\": -1.5", "\"dtype\": \"uint16\", \"min\": -1.5"),
            new byte[20], new byte[0], new byte[2]);
        assertThatThrownBy(() -> TfjsWeights.read(dir.resolve("m-weights_manifest.json")))
            .hasMessageContaining("uint16");
    }

    @Test
    void decodesInt32TensorsAsTfjsDoes() throws IOException {
        // Quantised ones are rounded after q * scale + min; plain ones are 4 little-endian bytes.
        write("""
            [{"paths": ["a.bin"], "weights": [
              {"name": "q", "shape": [4], "dtype": "int32",
               "quantization": {"dtype": "uint8", "min": -1, "scale": 0.4}},
              {"name": "plain", "shape": [2], "dtype": "int32"}
            ]}]
            """, concat(new byte[] {0, 1, 4, (byte) 255},
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-7).putInt(5118).array()),
            new byte[0], new byte[0]);

        TfjsWeights weights = TfjsWeights.read(dir.resolve("m-weights_manifest.json"));

        assertThat(weights.get("q").values()).containsExactly(-1f, -1f, 1f, 101f); // -1, -0.6, 0.6, 101
        assertThat(weights.get("plain").values()).containsExactly(-7f, 5118f);
    }

    @Test
    void rejectsInt32ValuesThatNoFloatHoldsExactly() throws IOException {
        write("""
            [{"paths": ["a.bin"], "weights": [{"name": "big", "shape": [], "dtype": "int32"}]}]
            """, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((1 << 24) + 1).array(),
            new byte[0], new byte[0]);
        assertThatThrownBy(() -> TfjsWeights.read(dir.resolve("m-weights_manifest.json")))
            .hasMessageContaining("big").hasMessageContaining("16777217");
    }

    @Test
    void readsTheBundledModels() {
        TfjsWeights recognition = TfjsWeights.fromClasspath(FaceRecognitionNet.MODEL);
        assertThat(recognition.names()).hasSize(117).startsWith("conv32_down/conv/filters").endsWith("fc");
        assertThat(recognition.get("conv32_down/conv/filters").shape()).containsExactly(7, 7, 3, 32);
        assertThat(recognition.get("conv256_down_out/conv2/conv/filters").shape()).containsExactly(3, 3, 256, 256);
        assertThat(recognition.get("fc").shape()).containsExactly(256, 128);
        assertThat(parameters(recognition)).isEqualTo(5_614_592);

        TfjsWeights detector = TfjsWeights.fromClasspath(TinyFaceDetector.MODEL);
        assertThat(detector.names()).hasSize(19);
        assertThat(detector.get("conv1/depthwise_filter").shape()).containsExactly(3, 3, 16, 1);
        assertThat(detector.get("conv8/filters").shape()).containsExactly(1, 1, 512, 25);
        assertThat(parameters(detector)).isEqualTo(193_321);

        TfjsWeights landmarks = TfjsWeights.fromClasspath(FaceLandmark68Net.MODEL);
        assertThat(landmarks.names()).hasSize(49);
        assertThat(landmarks.get("dense0/conv0/filters").shape()).containsExactly(3, 3, 3, 32);
        assertThat(landmarks.get("fc/weights").shape()).containsExactly(256, 136);
        assertThat(parameters(landmarks)).isEqualTo(356_840);

        TfjsWeights ssd = TfjsWeights.fromClasspath(SsdMobilenetv1.MODEL);
        assertThat(ssd.names()).hasSize(151).startsWith("Prediction/BoxPredictor_0/ClassPredictor/weights")
            .endsWith("Output/extra_dim");
        assertThat(ssd.get("MobilenetV1/Conv2d_13_pointwise/weights").shape()).containsExactly(1, 1, 1024, 1024);
        assertThat(ssd.get("Output/extra_dim").shape()).containsExactly(1, 5118, 4);
        // Graph constants in int32: the number of prior boxes, the 3 classes.
        assertThat(ssd.get("Postprocessor/stack/1").values()).containsExactly(5118f);
        assertThat(ssd.get("Prediction/BoxPredictor_0/stack_1/2").values()).containsExactly(3f);
    }

    @Test
    void namesAMissingBundledModel() {
        assertThatThrownBy(() -> TfjsWeights.fromClasspath("no_such_model"))
            .hasMessageContaining("no_such_model");
    }

    private static long parameters(TfjsWeights weights) {
        return weights.names().stream().mapToLong(name -> weights.get(name).size()).sum();
    }

    @Test
    void unknownNamesAreReported() {
        TfjsWeights detector = TfjsWeights.fromClasspath(TinyFaceDetector.MODEL);
        assertThatThrownBy(() -> detector.get("conv9/filters")).hasMessageContaining("conv9/filters");
        assertThat(List.copyOf(detector.names())).first().isEqualTo("conv0/filters");
    }
}
