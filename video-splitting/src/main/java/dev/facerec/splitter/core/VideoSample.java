package dev.facerec.splitter.core;

/**
 * What {@link FrameExtractor#sample} did with one video: {@code frames} handed over, {@code keyframesDecoded} to
 * choose them, and whether they cover the whole video. {@code complete} is false, with the reason, when sampling
 * stopped before the video's end: the time ran out, {@code maxFrames} was reached before the end (a video whose
 * length the container does not state), or the rest of the video could not be decoded. {@code seeked} tells whether
 * the container's index was used (only the sampled keyframes' bytes read) or the video read from start to end.
 */
public record VideoSample(VideoInfo video, int frames, int keyframesDecoded, boolean seeked, boolean complete,
                          String incompleteReason) {
}
