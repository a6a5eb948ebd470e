package dev.facerec.common;

/** The words the output bucket's {@code <stem>.txt} may hold besides a person's name. */
public final class Outcome {
    /** Faces were found but none matched an enrolled person closely enough. */
    public static final String UNKNOWN = "Unknown";
    /** The frame holds no face. */
    public static final String NO_FACE = "NoFace";
    /** The video could not be processed; {@code <stem>.json} says at which stage and why. */
    public static final String ERROR = "Error";

    /** The words above: no person may be named so, whatever the case, or a name could not be told from them. */
    public static boolean isReserved(String name) {
        return UNKNOWN.equalsIgnoreCase(name) || NO_FACE.equalsIgnoreCase(name) || ERROR.equalsIgnoreCase(name);
    }

    private Outcome() {
    }
}
