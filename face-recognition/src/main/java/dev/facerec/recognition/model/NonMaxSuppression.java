package dev.facerec.recognition.model;

import dev.facerec.recognition.Box;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** face-api's greedy non-max suppression, tie-breaking included, so that ports keep the reference's boxes. */
public final class NonMaxSuppression {
    private NonMaxSuppression() {
    }

    /**
     * Indices of the boxes kept, highest score first (among equal scores, the later one first): each box suppresses
     * the lower-scored ones that overlap it by more than {@code iouThreshold}.
     */
    public static List<Integer> kept(List<Box> boxes, List<Double> scores, double iouThreshold) {
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            remaining.add(i);
        }
        remaining.sort(Comparator.comparing(scores::get)); // stable, ascending, as Array.prototype.sort
        List<Integer> picked = new ArrayList<>();
        while (!remaining.isEmpty()) {
            int current = remaining.remove(remaining.size() - 1);
            picked.add(current);
            Box currentBox = boxes.get(current);
            remaining.removeIf(i -> !(currentBox.iou(boxes.get(i)) <= iouThreshold));
        }
        return picked;
    }
}
