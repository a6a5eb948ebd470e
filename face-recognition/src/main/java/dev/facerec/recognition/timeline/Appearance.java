package dev.facerec.recognition.timeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One person in a video: seen from {@code firstSeconds} to {@code lastSeconds} in {@code frames} frames, nearest the
 * gallery at {@code bestDistance} in {@code bestFrame}. The faces that match nobody are one appearance named
 * {@code Unknown}, without a distance; its {@code bestFrame} is the frame of its largest face. {@code largestFaceArea}
 * (square pixels) breaks a tie between two people seen in as many frames. As JSON, it is an entry of {@code people}
 * in the function's record and in {@code faas recognize --json}.
 */
@JsonPropertyOrder({"name", "first_seconds", "last_seconds", "frames", "best_distance", "best_frame"})
public record Appearance(@JsonProperty("name") String name,
                         @JsonProperty("first_seconds") double firstSeconds,
                         @JsonProperty("last_seconds") double lastSeconds,
                         @JsonProperty("frames") int frames,
                         @JsonProperty("best_distance") @JsonInclude(JsonInclude.Include.ALWAYS) Double bestDistance,
                         @JsonProperty("best_frame") String bestFrame,
                         @JsonIgnore double largestFaceArea) {
}
