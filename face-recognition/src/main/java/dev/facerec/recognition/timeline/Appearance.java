package dev.facerec.recognition.timeline;

/**
 * One person in a video: seen from {@code firstSeconds} to {@code lastSeconds} in {@code frames} frames, nearest the
 * gallery at {@code bestDistance} in {@code bestFrame}. The faces that match nobody are one appearance named
 * {@code Unknown}, without a distance; its {@code bestFrame} is the frame of its largest face. {@code largestFaceArea}
 * (square pixels) breaks a tie between two people seen in as many frames.
 */
public record Appearance(String name, double firstSeconds, double lastSeconds, int frames, Double bestDistance,
                         String bestFrame, double largestFaceArea) {
}
