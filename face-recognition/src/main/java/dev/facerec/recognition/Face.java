package dev.facerec.recognition;

/**
 * One face in a frame.
 *
 * @param detection  the detector's box and score
 * @param landmarks  the 68 landmark points, image pixels
 * @param alignBox   the dlib-style box computed from the landmarks: the crop the descriptor was computed from
 * @param descriptor the recognition net's descriptor of that crop
 */
public record Face(Detection detection, Landmarks landmarks, Box alignBox, Descriptor descriptor) {
    /** The landmarks and the align box moved by {@code offset} pixels right and down (the detection stays). */
    Face moved(double offset) {
        return offset == 0 ? this
                : new Face(detection, landmarks.moved(offset, offset), alignBox.moved(offset, offset), descriptor);
    }
}
