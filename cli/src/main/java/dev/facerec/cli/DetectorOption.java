package dev.facerec.cli;

import dev.facerec.recognition.DetectorKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code --detector}, for every command that finds faces; a bad name gets DetectorKind's own message. */
final class DetectorOption {

    @Option(names = "--detector", defaultValue = DetectorKind.DEFAULT_LABEL, converter = Parse.class,
            paramLabel = "KIND", description = "Face detector: tiny-search (default: face-api's TinyFaceDetector "
                    + "searched at every face size), tiny (face-api's own single pass at 416), haar (OpenCV) or ssd "
                    + "(face-api's SsdMobilenetv1 at 512).")
    DetectorKind kind;

    static final class Parse implements ITypeConverter<DetectorKind> {
        @Override
        public DetectorKind convert(String value) {
            return DetectorKind.parse(value);
        }
    }
}
