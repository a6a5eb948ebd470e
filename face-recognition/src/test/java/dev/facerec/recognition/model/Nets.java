package dev.facerec.recognition.model;

import ai.djl.ndarray.NDManager;

/** The three nets with the bundled weights, loaded once for all tests in the JVM. */
final class Nets {

    static final NDManager WEIGHTS = Torch.newManager();
    static final TinyFaceDetector DETECTOR =
        new TinyFaceDetector(TfjsWeights.fromClasspath(TinyFaceDetector.MODEL), WEIGHTS);
    static final FaceLandmark68Net LANDMARKS =
        new FaceLandmark68Net(TfjsWeights.fromClasspath(FaceLandmark68Net.MODEL), WEIGHTS);
    static final FaceRecognitionNet RECOGNITION =
        new FaceRecognitionNet(TfjsWeights.fromClasspath(FaceRecognitionNet.MODEL), WEIGHTS);

    private Nets() {
    }
}
