package dev.facerec.recognition;

import ai.djl.ndarray.NDManager;
import dev.facerec.recognition.model.FaceLandmark68Net;
import dev.facerec.recognition.model.FaceRecognitionNet;
import dev.facerec.recognition.model.TfjsWeights;
import dev.facerec.recognition.model.Torch;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Faces in a frame, as face-api's {@code detectAllFaces(img, new TinyFaceDetectorOptions({inputSize: 416,
 * scoreThreshold: 0.5})).withFaceLandmarks().withFaceDescriptors()}: TinyFaceDetector boxes, FaceLandmark68Net points
 * from each box's crop, and the FaceRecognitionNet descriptor of the dlib-style box those points give. With
 * {@link DetectorKind#HAAR} the boxes come from OpenCV's Haar cascade instead, with {@link DetectorKind#SSD} from
 * face-api's SsdMobilenetv1, and go through the same two nets.
 *
 * <p>Creating one loads the PyTorch engine and the nets' weights (seconds): create it once and reuse it.
 * {@link #analyze} is thread-safe: the weights are read-only and every call keeps its arrays in its own
 * {@link NDManager} scope, freed when the call returns. Each op runs on one libtorch thread unless
 * {@code -Dai.djl.pytorch.num_threads=N} is set (see {@link Torch}): use the cores with concurrent calls.
 */
public final class FaceAnalyzer implements AutoCloseable {

    /** Room around a face, as a share of its size, that its crops need. */
    private static final double EDGE_ROOM = 0.5;

    private final NDManager weights;
    private final boolean padsEdges;
    private final FaceDetector detector;
    private final FaceLandmark68Net landmarkNet;
    private final FaceRecognitionNet recognitionNet;

    private FaceAnalyzer(NDManager weights, DetectorKind kind) {
        this.weights = weights;
        this.padsEdges = kind != DetectorKind.TINY;
        this.landmarkNet = new FaceLandmark68Net(TfjsWeights.fromClasspath(FaceLandmark68Net.MODEL), weights);
        this.recognitionNet = new FaceRecognitionNet(TfjsWeights.fromClasspath(FaceRecognitionNet.MODEL), weights);
        // Last, so that nothing made before it can fail and leave a Haar detector unclosed.
        this.detector = kind.newDetector(weights);
    }

    /** {@link #create(DetectorKind)} with {@link DetectorKind#DEFAULT}. */
    public static FaceAnalyzer create() {
        return create(DetectorKind.DEFAULT);
    }

    /**
     * Starts PyTorch (bundled libtorch, never downloaded) and loads the nets bundled on the class path; for
     * {@link DetectorKind#HAAR}, OpenCV and its cascade too.
     */
    public static FaceAnalyzer create(DetectorKind kind) {
        NDManager manager = Torch.newManager();
        try {
            return new FaceAnalyzer(manager, kind);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The faces of one image and the milliseconds each network took. */
    public record Analysis(List<Face> faces, double detectMs, double landmarksMs, double descriptorMs) {
    }

    /** Every face found in {@code image}, highest detection score first. */
    public List<Face> analyze(RgbImage image) {
        return analyzeTimed(image).faces();
    }

    /** {@link #analyze(RgbImage)}, with the time spent in each network. */
    public Analysis analyzeTimed(RgbImage image) {
        try (NDManager scope = weights.newSubManager()) {
            long start = System.nanoTime();
            List<Detection> detections = detector.detect(image, scope).stream()
                .filter(d -> overlaps(d.box(), image))
                .toList();
            long detected = System.nanoTime();
            // The nets' crops are taken from the picture in a border when a face is at its edge (see edgeBorder).
            int border = edgeBorder(detections, image);
            RgbImage work = border == 0 ? image : image.withBorder(border, FaceSearch.GREY);
            List<Landmarks> landmarks = landmarkNet.detect(work,
                detections.stream().map(d -> d.box().moved(border, border)).toList(), scope);
            long landmarked = System.nanoTime();
            List<Aligned> aligned = IntStream.range(0, detections.size())
                .mapToObj(i -> new Aligned(detections.get(i), landmarks.get(i), landmarks.get(i).dlibAlignBox()))
                .filter(a -> overlaps(a.alignBox(), work))
                .toList();
            List<Descriptor> descriptors =
                recognitionNet.describe(work, aligned.stream().map(Aligned::alignBox).toList(), scope);
            long described = System.nanoTime();
            List<Face> faces = IntStream.range(0, aligned.size())
                .mapToObj(i -> aligned.get(i).with(descriptors.get(i)).moved(-border))
                .toList();
            return new Analysis(faces, (detected - start) / 1e6, (landmarked - detected) / 1e6,
                    (described - landmarked) / 1e6);
        }
    }

    private record Aligned(Detection detection, Landmarks landmarks, Box alignBox) {
        Face with(Descriptor descriptor) {
            return new Face(detection, landmarks, alignBox, descriptor);
        }
    }

    /**
     * How much border the nets need: none for face-api's own pipeline ({@link DetectorKind#TINY}), which clips a crop
     * that reaches outside the picture, and so shifts a face at the edge (a headshot, a face crop) off the centre of
     * the nets' input. The other kinds give such faces half their size of border, so their crops stay whole.
     */
    private int edgeBorder(List<Detection> detections, RgbImage image) {
        if (!padsEdges) {
            return 0;
        }
        double needed = 0;
        for (Detection d : detections) {
            Box box = d.box();
            double room = Math.min(Math.min(box.x(), box.y()),
                Math.min(image.width() - box.right(), image.height() - box.bottom()));
            needed = Math.max(needed, EDGE_ROOM * Math.max(box.width(), box.height()) - room);
        }
        return (int) Math.ceil(needed);
    }

    /** Decodes PNG/JPEG bytes, then {@link #analyze(RgbImage)}. */
    public List<Face> analyze(byte[] encodedImage) {
        return analyze(RgbImage.decode(encodedImage));
    }

    // face-api drops a box whose crop is empty once clipped to the image.
    private static boolean overlaps(Box box, RgbImage image) {
        return !box.clipToImage(image.width(), image.height()).isEmpty();
    }

    /** Frees the weights and the detector; the analyzer cannot be used afterwards. */
    @Override
    public void close() {
        detector.close();
        weights.close();
    }
}
