package dev.facerec.recognition.timeline;

import dev.facerec.recognition.Recognizer.Recognition;

/** One frame of a video, named by {@code frame} (its stage-1 key, or a label), its time, and what was recognised. */
public record TimedRecognition(String frame, double seconds, Recognition recognition) {
}
