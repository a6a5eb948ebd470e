package dev.facerec.recognition.evaluation;

/** A frame to identify (JPEG or PNG bytes), where it came from, and the name it should get. */
public record LabelledFrame(String source, byte[] image, String expected) {
}
