package dev.facerec.recognition;

import ai.djl.ndarray.NDManager;
import java.util.List;

/** Finds faces in a frame: the first stage of {@link FaceAnalyzer}, which picks one by {@link DetectorKind}. */
public interface FaceDetector extends AutoCloseable {

    /**
     * Faces in {@code image}, highest score first, boxes in image pixels. Arrays the detector makes live in
     * {@code scope}, which the caller closes.
     */
    List<Detection> detect(RgbImage image, NDManager scope);

    /** Frees what the detector holds outside the Java heap; nothing by default. */
    @Override
    default void close() {
    }
}
