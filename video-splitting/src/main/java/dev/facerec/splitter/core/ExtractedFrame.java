package dev.facerec.splitter.core;

/**
 * The chosen frame as a JPEG. {@code timeSeconds} is its time from the start of the video; {@code keyframesDecoded}
 * counts the keyframes looked at to choose it; {@code blank} is true when every keyframe looked at was blank and the
 * first was kept.
 */
public record ExtractedFrame(byte[] jpeg, int width, int height, double timeSeconds, int keyframesDecoded,
                             boolean blank, VideoInfo video) {
}
