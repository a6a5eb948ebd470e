package dev.facerec.recognition.gallery;

import dev.facerec.recognition.Descriptor;
import java.util.List;

/**
 * The enrolled people. {@code model} names the network that made the descriptors: descriptors of another network
 * live in another space, and comparing them would give confident wrong names.
 */
public record Gallery(String model, int descriptorSize, List<Person> people) {
    /** The descriptor network of this project: dlib's ResNet-34 as shipped by face-api 1.7.15. */
    public static final String MODEL = "dlib-resnet34@vladmandic/face-api@1.7.15:face_recognition_model";

    public Gallery {
        people = List.copyOf(people);
    }

    public static Gallery of(List<Person> people) {
        return new Gallery(MODEL, Descriptor.LENGTH, people);
    }

    public int descriptorCount() {
        return people.stream().mapToInt(p -> p.descriptors().size()).sum();
    }
}
