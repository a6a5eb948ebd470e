package dev.facerec.recognition.gallery;

/**
 * The gallery's answer for one descriptor: the nearest person and their distance, and the runner-up (the nearest
 * other person), whether or not the nearest is within the threshold. {@code name} is null when the gallery is empty.
 */
public record Match(String name, double distance, String runnerUp, Double runnerUpDistance, boolean matched) {
}
