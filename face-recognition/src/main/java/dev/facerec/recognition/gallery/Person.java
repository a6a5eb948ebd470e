package dev.facerec.recognition.gallery;

import dev.facerec.common.Outcome;
import dev.facerec.recognition.Descriptor;
import java.util.List;

/**
 * An enrolled person: a name and the descriptors of their photos. The name is what {@code <stem>.txt} and the CLI
 * print, one line each: it may be none of the outcome words and hold no control character (a tab or a newline would
 * break those lines).
 */
public record Person(String name, List<Descriptor> descriptors) {
    public Person {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a person needs a name");
        }
        if (Outcome.isReserved(name)) {
            throw new IllegalArgumentException("'" + name + "' is an outcome word (" + Outcome.UNKNOWN + ", "
                    + Outcome.NO_FACE + ", " + Outcome.ERROR + "), not a name a person can have");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the name '" + name.replaceAll("\\p{Cntrl}", "?")
                    + "' holds a control character (tab, newline...)");
        }
        if (descriptors.isEmpty()) {
            throw new IllegalArgumentException(name + " has no descriptor");
        }
        descriptors = List.copyOf(descriptors);
    }
}
