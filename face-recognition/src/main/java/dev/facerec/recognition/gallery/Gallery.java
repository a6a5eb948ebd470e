package dev.facerec.recognition.gallery;

import dev.facerec.recognition.Descriptor;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The enrolled people, laid out for galleries of millions of descriptors: every descriptor's values in one contiguous
 * array, person after person, beside each person's name and the photo each descriptor came from (where known). A
 * million descriptors take 512 MB here, where one object per descriptor took over twice that. Immutable.
 *
 * <p>{@code model} names the network that made the descriptors: descriptors of another network live in another
 * space, and comparing them would give confident wrong names.
 */
public final class Gallery {
    /** The descriptor network of this project: dlib's ResNet-34 as shipped by face-api 1.7.15. */
    public static final String MODEL = "dlib-resnet34@vladmandic/face-api@1.7.15:face_recognition_model";
    /**
     * The most descriptors a gallery holds: their values must fit one Java array (2^31 floats). Memory is the
     * practical limit well before: docs/GALLERY-SCALE.md.
     */
    public static final int MAX_DESCRIPTORS = Integer.MAX_VALUE / Descriptor.LENGTH;

    private final String model;
    private final int descriptorSize;
    private final String[] names;
    /** Person {@code p}'s descriptors are {@code starts[p]} (inclusive) to {@code starts[p + 1]} (exclusive). */
    private final int[] starts;
    /** Descriptor {@code d}'s values are {@code values[d * LENGTH]} to {@code values[(d + 1) * LENGTH - 1]}. */
    private final float[] values;
    /** Per descriptor, its photo or null where unknown; null when none is known (a gallery from before sources). */
    private final String[] sources;

    private Gallery(String model, int descriptorSize, String[] names, int[] starts, float[] values, String[] sources) {
        this.model = model;
        this.descriptorSize = descriptorSize;
        this.names = names;
        this.starts = starts;
        this.values = values;
        this.sources = sources;
    }

    /** A gallery of these people, of descriptors made by {@code model}. */
    public static Gallery of(String model, int descriptorSize, List<Person> people) {
        Builder builder = new Builder(model, descriptorSize, people.size(),
                people.stream().mapToInt(p -> p.descriptors().size()).sum());
        people.forEach(builder::add);
        return builder.build();
    }

    /** A gallery of this project's model. */
    public static Gallery of(List<Person> people) {
        return of(MODEL, Descriptor.LENGTH, people);
    }

    /** A gallery of arrays read and checked by a reader (not copied: the reader hands them over). */
    static Gallery ofArrays(String model, int descriptorSize, String[] names, int[] starts, float[] values,
                            String[] sources) {
        return new Gallery(model, descriptorSize, names, starts, values, sources);
    }

    /** Builds a gallery person by person without holding them as objects (a streaming reader's way). */
    public static Builder builder(String model, int descriptorSize) {
        return new Builder(model, descriptorSize, 16, 32);
    }

    public String model() {
        return model;
    }

    public int descriptorSize() {
        return descriptorSize;
    }

    public int personCount() {
        return names.length;
    }

    public int descriptorCount() {
        return starts[names.length];
    }

    public String name(int person) {
        return names[person];
    }

    /** The people's names, in the gallery's order. */
    public List<String> names() {
        return List.of(names);
    }

    /** Person {@code index}, as an object: its descriptors copied out. */
    public Person person(int index) {
        List<Descriptor> descriptors = new ArrayList<>(starts[index + 1] - starts[index]);
        List<String> photos = new ArrayList<>();
        for (int d = starts[index]; d < starts[index + 1]; d++) {
            descriptors.add(new Descriptor(Arrays.copyOfRange(values, d * Descriptor.LENGTH,
                    (d + 1) * Descriptor.LENGTH)));
            photos.add(source(d));
        }
        // A person's photos are known for all their descriptors or for none (Person's rule).
        return new Person(names[index], descriptors, photos.contains(null) ? List.of() : photos);
    }

    /**
     * The people as objects, each made when read: for enrolment reports, evaluation and small galleries; a matcher
     * or a writer reads the arrays instead.
     */
    public List<Person> people() {
        return new AbstractList<>() {
            @Override
            public Person get(int index) {
                return person(Objects.checkIndex(index, names.length));
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }

    /** The index of the person of this name, or -1. */
    public int indexOf(String name) {
        for (int p = 0; p < names.length; p++) {
            if (names[p].equals(name)) {
                return p;
            }
        }
        return -1;
    }

    /**
     * This gallery with {@code more}'s people: one already here gets their new descriptors after their own (more
     * photos of them); the others come after, in {@code more}'s order. Both must be of the same model.
     */
    public Gallery merged(Gallery more) {
        if (!model.equals(more.model) || descriptorSize != more.descriptorSize) {
            throw new GalleryException("cannot merge galleries of models '" + model + "' and '" + more.model + "'");
        }
        Builder merged = new Builder(model, descriptorSize, personCount() + more.personCount(),
                descriptorCount() + more.descriptorCount());
        for (int p = 0; p < names.length; p++) {
            int also = more.indexOf(names[p]);
            merged.add(also < 0 ? person(p) : new Person(names[p], concat(person(p).descriptors(),
                    more.person(also).descriptors()), concatSources(person(p), more.person(also))));
        }
        for (int p = 0; p < more.personCount(); p++) {
            if (indexOf(more.name(p)) < 0) {
                merged.add(more.person(p));
            }
        }
        return merged.build();
    }

    /** This gallery without the person of this name; {@link GalleryException} when there is none. */
    public Gallery without(String name) {
        int gone = indexOf(name);
        if (gone < 0) {
            throw new GalleryException("no person named '" + name + "' in the gallery");
        }
        Builder rest = new Builder(model, descriptorSize, personCount() - 1, descriptorCount());
        for (int p = 0; p < names.length; p++) {
            if (p != gone) {
                rest.add(person(p));
            }
        }
        return rest.build();
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /** Both persons' photos, when both are known; otherwise none (a person's are known for all or none). */
    private static List<String> concatSources(Person first, Person second) {
        return first.sources().isEmpty() || second.sources().isEmpty() ? List.of()
                : concat(first.sources(), second.sources());
    }

    /** The first descriptor of {@code person}; its last is {@code start(person + 1) - 1}. */
    int start(int person) {
        return starts[person];
    }

    /** The values of all descriptors, not copied: callers only read. */
    float[] values() {
        return values;
    }

    /** The photo of descriptor {@code d}, or null when unknown. */
    String source(int d) {
        return sources == null ? null : sources[d];
    }

    boolean hasSources() {
        return sources != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Gallery other && model.equals(other.model) && descriptorSize == other.descriptorSize
                && Arrays.equals(names, other.names) && Arrays.equals(starts, other.starts)
                && Arrays.equals(values, other.values) && Arrays.equals(sources, other.sources);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, Arrays.hashCode(names), Arrays.hashCode(starts));
    }

    @Override
    public String toString() {
        return "Gallery[" + names.length + " people, " + descriptorCount() + " descriptors, " + model + "]";
    }

    /**
     * Person after person into contiguous arrays, each checked as {@link Person} checks it (a name that can be
     * printed on one line and is no outcome word, at least one descriptor of finite values, one source per
     * descriptor or none).
     */
    public static final class Builder {
        private final String model;
        private final int descriptorSize;
        private String[] names;
        private int[] starts;
        private float[] values;
        private String[] sources;
        private boolean anySourced;
        private int people;
        private int descriptors;

        Builder(String model, int descriptorSize, int expectedPeople, int expectedDescriptors) {
            this.model = Objects.requireNonNull(model, "model");
            this.descriptorSize = descriptorSize;
            names = new String[Math.max(1, expectedPeople)];
            starts = new int[names.length + 1];
            values = new float[Math.max(1, expectedDescriptors) * Descriptor.LENGTH];
            sources = new String[Math.max(1, expectedDescriptors)];
        }

        /** Adds a person (already checked by its constructor). */
        public Builder add(Person person) {
            int count = person.descriptors().size();
            reserve(count);
            names[people] = person.name();
            for (int i = 0; i < count; i++) {
                System.arraycopy(person.descriptors().get(i).values(), 0, values,
                        (descriptors + i) * Descriptor.LENGTH, Descriptor.LENGTH);
                sources[descriptors + i] = person.source(i).orElse(null);
            }
            anySourced |= !person.sources().isEmpty();
            descriptors += count;
            people++;
            starts[people] = descriptors;
            return this;
        }

        /**
         * Adds a person of {@code count} descriptors, {@code values} holding them one after another, with no known
         * sources: a synthetic person's way, without a {@link Person} of {@link Descriptor} objects per person.
         */
        Builder add(String name, float[] values, int count) {
            Person.checkName(name);
            if (count < 1 || values.length < count * Descriptor.LENGTH) {
                throw new IllegalArgumentException(name + " has no descriptor");
            }
            Descriptor.checkFinite(values, 0, count * Descriptor.LENGTH);
            reserve(count);
            names[people] = name;
            System.arraycopy(values, 0, this.values, descriptors * Descriptor.LENGTH, count * Descriptor.LENGTH);
            descriptors += count;
            people++;
            starts[people] = descriptors;
            return this;
        }

        public int descriptorCount() {
            return descriptors;
        }

        private void reserve(int more) {
            if ((long) descriptors + more > MAX_DESCRIPTORS) {
                throw new GalleryException("a gallery holds at most " + MAX_DESCRIPTORS + " descriptors");
            }
            if (people + 1 >= names.length) {
                int size = grown(names.length, people + 2);
                names = Arrays.copyOf(names, size);
                starts = Arrays.copyOf(starts, size + 1);
            }
            if (descriptors + more > sources.length) {
                int size = grown(sources.length, descriptors + more);
                values = Arrays.copyOf(values, size * Descriptor.LENGTH);
                sources = Arrays.copyOf(sources, size);
            }
        }

        private static int grown(int current, int needed) {
            return (int) Math.min(MAX_DESCRIPTORS, Math.max(needed, current + (current >> 1)));
        }

        public Gallery build() {
            return new Gallery(model, descriptorSize, Arrays.copyOf(names, people), Arrays.copyOf(starts, people + 1),
                    values.length == descriptors * Descriptor.LENGTH ? values
                            : Arrays.copyOf(values, descriptors * Descriptor.LENGTH),
                    anySourced ? Arrays.copyOf(sources, descriptors) : null);
        }
    }
}
