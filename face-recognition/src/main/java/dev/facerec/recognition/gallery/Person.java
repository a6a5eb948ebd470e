package dev.facerec.recognition.gallery;

import dev.facerec.recognition.Descriptor;
import java.util.List;

/** An enrolled person: a name and the descriptors of their photos. */
public record Person(String name, List<Descriptor> descriptors) {
    public Person {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a person needs a name");
        }
        descriptors = List.copyOf(descriptors);
    }
}
