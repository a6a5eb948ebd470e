package dev.facerec.recognition.model;

import static dev.facerec.recognition.model.TfLayers.Padding.SAME;
import static dev.facerec.recognition.model.TfLayers.Padding.VALID;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TF.js semantics of the layers on small hand-checked inputs, with weights laid out from TF.js shapes. */
class TfLayersTest {

    @TempDir
    Path dir;

    private NDManager manager;
    private WeightArrays weights;

    @BeforeEach
    void setUp() throws IOException {
        manager = Nets.WEIGHTS.newSubManager();
        // ones3x3: HWIO [3,3,1,1]; dw: [3,3,2,1] with channel c = c + 1; pw: [1,1,2,1] = {1, 10};
        // g: HWIO [1,2,1,2], value = 1 + 2 * w + o.
        float[] dw = new float[18];
        for (int i = 0; i < 18; i++) {
            dw[i] = i % 2 + 1;
        }
        Files.writeString(dir.resolve("t-weights_manifest.json"), """
            [{"paths": ["t.bin"], "weights": [
              {"name": "ones3x3", "shape": [3, 3, 1, 1], "dtype": "float32"},
              {"name": "dw", "shape": [3, 3, 2, 1], "dtype": "float32"},
              {"name": "pw", "shape": [1, 1, 2, 1], "dtype": "float32"},
              {"name": "b", "shape": [1], "dtype": "float32"},
              {"name": "g", "shape": [1, 2, 1, 2], "dtype": "float32"}
            ]}]
            """);
        float[] all = new float[9 + 18 + 2 + 1 + 4];
        Arrays.fill(all, 0, 9, 1f);
        System.arraycopy(dw, 0, all, 9, 18);
        all[27] = 1;
        all[28] = 10;
        all[29] = 0.5f;
        float[] g = {1, 2, 3, 4};
        System.arraycopy(g, 0, all, 30, 4);
        ByteBuffer bytes = ByteBuffer.allocate(all.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : all) {
            bytes.putFloat(v);
        }
        Files.write(dir.resolve("t.bin"), bytes.array());
        weights = new WeightArrays(TfjsWeights.read(dir.resolve("t-weights_manifest.json")), manager);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** 1..16 as a [1, 1, 4, 4] image, times {@code sign}. */
    private NDArray grid(float sign) {
        float[] values = new float[16];
        for (int i = 0; i < 16; i++) {
            values[i] = sign * (i + 1);
        }
        return manager.create(values, new Shape(1, 1, 4, 4));
    }

    @Test
    void sameConvolutionAtStride2PadsOnlyAfter() {
        NDArray out = TfLayers.conv2d(grid(1), weights.convFilter("ones3x3"), null, 2, SAME);
        // windows rows/cols {0..2, 2..3(+pad)}; PyTorch's symmetric padding would give 14 first
        assertThat(out.getShape()).isEqualTo(new Shape(1, 1, 2, 2));
        assertThat(out.toFloatArray()).containsExactly(54, 45, 72, 54);
    }

    @Test
    void sameConvolutionAtStride1PadsBothSides() {
        NDArray out = TfLayers.conv2d(grid(1), weights.convFilter("ones3x3"), null, 1, SAME);
        assertThat(out.getShape()).isEqualTo(new Shape(1, 1, 4, 4));
        assertThat(out.toFloatArray()[0]).isEqualTo(1 + 2 + 5 + 6);
    }

    @Test
    void convFilterIsTransposedFromHwio() {
        NDArray x = manager.create(new float[] {10, 100}, new Shape(1, 1, 1, 2));
        NDArray out = TfLayers.conv2d(x, weights.convFilter("g"), null, 1, VALID);
        assertThat(out.getShape()).isEqualTo(new Shape(1, 2, 1, 1));
        assertThat(out.toFloatArray()).containsExactly(10 * 1 + 100 * 3, 10 * 2 + 100 * 4);
    }

    @Test
    void separableConvolutionIsDepthwiseThenPointwisePlusBias() {
        NDArray x = manager.ones(new Shape(1, 2, 3, 3));
        NDArray out = TfLayers.separableConv2d(x, weights.depthwiseFilter("dw"), weights.convFilter("pw"),
            weights.vector("b"), 1, SAME);
        assertThat(out.getShape()).isEqualTo(new Shape(1, 1, 3, 3));
        // centre: 9 * 1 (channel 0) * 1 + 9 * 2 (channel 1) * 10 + 0.5; corner: 4 taps each
        assertThat(out.toFloatArray()[4]).isEqualTo(189.5f);
        assertThat(out.toFloatArray()[0]).isEqualTo(4 + 80 + 0.5f);
    }

    @Test
    void sameMaxPoolPadsWithMinusInfinity() {
        NDArray out = TfLayers.maxPool(grid(-1), 2, 1, SAME);
        assertThat(out.getShape()).isEqualTo(new Shape(1, 1, 4, 4));
        float[] values = out.toFloatArray();
        assertThat(values[0]).isEqualTo(-1);
        assertThat(values[15]).isEqualTo(-16); // a zero pad would give 0
    }

    @Test
    void sameMaxPoolAtStride2KeepsTheOddEdge() {
        NDArray x = manager.create(new float[] {-1, -2, -3, -4, -5, -6, -7, -8, -9}, new Shape(1, 1, 3, 3));
        NDArray out = TfLayers.maxPool(x, 2, 2, SAME);
        assertThat(out.toFloatArray()).containsExactly(-1, -3, -7, -9);
    }
}
