package dev.facerec.recognition.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

/** Where the nets' arrays come from: DJL's PyTorch engine on the CPU, with the libtorch bundled on the class path. */
public final class Torch {

    private static final String NUM_THREADS = "ai.djl.pytorch.num_threads";

    private Torch() {
    }

    /**
     * A new root manager on the CPU; the first call starts the engine (never downloading anything) with one intra-op
     * thread unless {@code -Dai.djl.pytorch.num_threads} says otherwise.
     */
    public static NDManager newManager() {
        // Without this DJL may try its CDN; pytorch-native-cpu on the class path carries libtorch.
        System.setProperty("ai.djl.offline", "true");
        // libtorch's OpenMP threads spin at barriers: with any other load on the cores (a second analyze call, another
        // process) two threads ran 5-30x slower than one here. Parallelism comes from concurrent calls instead.
        if (System.getProperty(NUM_THREADS) == null) {
            System.setProperty(NUM_THREADS, "1");
        }
        return NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }
}
