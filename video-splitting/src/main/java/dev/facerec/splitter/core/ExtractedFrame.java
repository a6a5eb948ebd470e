package dev.facerec.splitter.core;

/**
 * The chosen frame as a JPEG. {@code timeSeconds} is its time from the start of the video; {@code keyframesDecoded}
 * counts the keyframes looked at to choose it; {@code blank} is true when every keyframe looked at was blank and the
 * first was kept.
 */
public record ExtractedFrame(byte[] jpeg, int width, int height, double timeSeconds, int keyframesDecoded,
                             boolean blank, VideoInfo video, Timings timings) {

    /** Milliseconds from opening the video to the chosen picture in hand, and for its JPEG encoding. */
    public record Timings(double openDecodeMs, double jpegMs) {
    }
}
