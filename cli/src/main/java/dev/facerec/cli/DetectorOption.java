package dev.facerec.cli;

import dev.facerec.recognition.DetectorKind;
import picocli.CommandLine.ITypeConverter;

/** {@code --detector tiny|haar|ssd}, with DetectorKind's own message for a bad name. */
final class DetectorOption implements ITypeConverter<DetectorKind> {
    @Override
    public DetectorKind convert(String value) {
        return DetectorKind.parse(value);
    }
}
