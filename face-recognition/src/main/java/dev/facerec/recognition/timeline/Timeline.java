package dev.facerec.recognition.timeline;

import dev.facerec.common.Outcome;
import dev.facerec.recognition.Recognizer.RecognizedFace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is in a whole video and when: the faces of every frame, matched frame by frame, gathered into one
 * {@link Appearance} per person, in order of first appearance. The video's outcome is the person seen in the most
 * frames (a tie goes to the one with the larger face), {@code Unknown} when faces were seen but none matched, and
 * {@code NoFace} when no frame held a face. With one frame this is the rule of {@code Recognizer}: the largest face
 * that matches someone.
 */
public final class Timeline {
    private final List<Appearance> people;
    private final boolean anyFace;

    private Timeline(List<Appearance> people, boolean anyFace) {
        this.people = List.copyOf(people);
        this.anyFace = anyFace;
    }

    /** {@code frames} in any order; each is placed by its time. */
    public static Timeline of(List<TimedRecognition> frames) {
        List<TimedRecognition> inTime = new ArrayList<>(frames);
        inTime.sort(Comparator.comparingDouble(TimedRecognition::seconds));
        Map<String, Gathered> byName = new LinkedHashMap<>();
        boolean anyFace = false;
        for (TimedRecognition frame : inTime) {
            Set<String> seenHere = new HashSet<>();
            for (RecognizedFace face : frame.recognition().faces()) {
                anyFace = true;
                String name = face.match().matched() ? face.match().name() : Outcome.UNKNOWN;
                Gathered person = byName.computeIfAbsent(name, n -> new Gathered(n, frame.seconds()));
                person.see(frame, face, seenHere.add(name));
            }
        }
        return new Timeline(byName.values().stream().map(Gathered::appearance).toList(), anyFace);
    }

    /** Everyone seen, {@code Unknown} included, in order of first appearance. */
    public List<Appearance> people() {
        return people;
    }

    /** The person seen in the most frames, or {@code Unknown}, or {@code NoFace}. */
    public String outcome() {
        return primary().map(Appearance::name).orElse(anyFace ? Outcome.UNKNOWN : Outcome.NO_FACE);
    }

    /** The named person the outcome names; empty when it is {@code Unknown} or {@code NoFace}. */
    public Optional<Appearance> primary() {
        return people.stream().filter(p -> !Outcome.UNKNOWN.equals(p.name()))
                .max(Comparator.comparingInt(Appearance::frames).thenComparingDouble(Appearance::largestFaceArea));
    }

    /** One person's faces, gathered frame by frame. */
    private static final class Gathered {
        private final String name;
        private final double first;
        private double last;
        private int frames;
        private Double bestDistance;
        private String bestFrame;
        private double largestArea = -1;

        Gathered(String name, double first) {
            this.name = name;
            this.first = first;
        }

        void see(TimedRecognition frame, RecognizedFace face, boolean firstFaceInFrame) {
            last = frame.seconds();
            if (firstFaceInFrame) {
                frames++;
            }
            double area = face.face().detection().box().area();
            if (face.match().matched()) {
                if (bestDistance == null || face.match().distance() < bestDistance) {
                    bestDistance = face.match().distance();
                    bestFrame = frame.frame();
                }
            } else if (area > largestArea) {
                bestFrame = frame.frame();
            }
            largestArea = Math.max(largestArea, area);
        }

        Appearance appearance() {
            return new Appearance(name, first, last, frames, bestDistance, bestFrame, largestArea);
        }
    }
}
