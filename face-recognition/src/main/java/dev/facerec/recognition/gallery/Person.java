package dev.facerec.recognition.gallery;

import dev.facerec.common.Outcome;
import dev.facerec.recognition.Descriptor;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An enrolled person: a name, the descriptors of their photos and, where known, the photo each descriptor came from.
 * The name is what {@code <stem>.txt} and the CLI print, one line each: it may be none of the outcome words and hold
 * no control character (a tab or a newline would break those lines).
 *
 * @param sources one per descriptor, in the same order: the photo's file relative to the photos folder
 *                ({@code Amy/amy1.png}); empty when unknown (a gallery written before they were kept)
 */
public record Person(String name, List<Descriptor> descriptors, List<String> sources) {
    /** A person whose descriptors' photos are not known. */
    public Person(String name, List<Descriptor> descriptors) {
        this(name, descriptors, List.of());
    }

    public Person {
        checkName(name);
        if (descriptors.isEmpty()) {
            throw new IllegalArgumentException(name + " has no descriptor");
        }
        descriptors = List.copyOf(descriptors);
        if (sources != null && sources.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException(name + " has a source that is null");
        }
        sources = sources == null ? List.of() : List.copyOf(sources);
        if (!sources.isEmpty() && sources.size() != descriptors.size()) {
            throw new IllegalArgumentException(name + " has " + descriptors.size() + " descriptors but "
                    + sources.size() + " sources: one source per descriptor, or none");
        }
    }

    /** {@link IllegalArgumentException} saying why, for a name no person may have. */
    static void checkName(String name) {
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
    }

    /** The photo of descriptor {@code index}, when known. */
    public Optional<String> source(int index) {
        return sources.isEmpty() ? Optional.empty() : Optional.of(sources.get(index));
    }
}
