package dev.facerec.splitter.core;

/**
 * What the container says about the video stream. {@code rotation} is the clockwise turn (0, 90, 180, 270) that makes
 * the picture upright; {@code displayWidth}/{@code displayHeight} are the upright picture's size after the pixel
 * aspect ratio is applied.
 */
public record VideoInfo(String container, String codec, int codedWidth, int codedHeight, int rotation,
                        int displayWidth, int displayHeight, double durationSeconds, double frameRate) {
}
