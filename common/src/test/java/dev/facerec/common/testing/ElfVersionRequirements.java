package dev.facerec.common.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a native library needs of the system's shared libraries, read as the dynamic loader reads it: the ELF symbol
 * version requirements (section {@code .gnu.version_r}, type SHT_GNU_verneed: one Verneed per needed file, each with
 * a chain of Vernaux, one per version), names taken from the string table the section links to ({@code .dynstr}).
 * A library needing a version the system lacks (GLIBC_2.35 on glibc 2.34) does not load, so this tells before
 * deployment whether an image's glibc and libstdc++ are new enough. 64-bit little-endian files only.
 *
 * <p>Reads the ELF header, the section headers and those two sections, nothing else, through streams that are reopened
 * when a read has to go back: a library inside a jar is parsed without unpacking it (libtorch's is 446 MB), holding
 * at most its largest section in memory.
 */
public final class ElfVersionRequirements {
    /** Amazon Linux 2023, the base of {@code public.ecr.aws/lambda/java:21}: glibc 2.34, GCC 11's libstdc++. */
    public static final List<String> AMAZON_LINUX_2023 = List.of("GLIBC_2.34", "GLIBCXX_3.4.29");

    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final int ELFOSABI_SYSV = 0;
    private static final int ELFOSABI_GNU = 3;
    private static final int SHT_GNU_VERNEED = 0x6ffffffe;
    private static final int ELF64_HEADER_SIZE = 64;
    private static final Pattern NUMBERED = Pattern.compile("\\d+(\\.\\d+)*");

    private ElfVersionRequirements() {
    }

    /** Opens a file's bytes from its start; called again whenever a read has to go back. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /** The machines Lambda runs (its Architectures), by their ELF e_machine. */
    public enum Machine {
        X86_64(62), AARCH64(183);

        private final int elfMachine;

        Machine(int elfMachine) {
            this.elfMachine = elfMachine;
        }

        /** The machine named as {@code uname -m} names it ("x86_64", "aarch64"). */
        public static Machine named(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** The identification at the start of every ELF file: enough to tell which loader can load it. */
    public record Header(int elfClass, int dataEncoding, int osAbi, int machine) {
        /** 64-bit little-endian, for that machine, System V or GNU/Linux: what a Linux process there loads. */
        public boolean loadsOnLinux(Machine target) {
            return elfClass == ELFCLASS64 && dataEncoding == ELFDATA2LSB && machine == target.elfMachine
                    && (osAbi == ELFOSABI_SYSV || osAbi == ELFOSABI_GNU);
        }
    }

    public static Opener opener(Path file) {
        return () -> Files.newInputStream(file);
    }

    /** The header of an ELF file of any class or byte order; an IOException if the bytes are not ELF. */
    public static Header header(Opener file) throws IOException {
        try (InputStream in = file.open()) {
            ByteBuffer ident = ByteBuffer.wrap(in.readNBytes(20)).order(ByteOrder.LITTLE_ENDIAN);
            if (ident.limit() < 20 || ident.getInt(0) != 0x464c457f) { // "\177ELF" read little-endian
                throw new IOException("not an ELF file (no \\177ELF magic)");
            }
            // e_machine is in the file's own byte order.
            ident.order(ident.get(5) == ELFDATA2LSB ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            return new Header(ident.get(4), ident.get(5), ident.get(7) & 0xff, ident.getShort(18) & 0xffff);
        }
    }

    /**
     * The versions a 64-bit little-endian ELF file needs, by the file that must define them (e.g. {@code libc.so.6 ->
     * [GLIBC_2.14, GLIBC_2.2.5]}); empty when it has no version requirements.
     */
    public static Map<String, SortedSet<String>> read(Opener file) throws IOException {
        Header header = header(file);
        if (header.elfClass() != ELFCLASS64 || header.dataEncoding() != ELFDATA2LSB) {
            throw new IOException("not a 64-bit little-endian ELF file: " + header);
        }
        try (Cursor cursor = new Cursor(file)) {
            ByteBuffer ehdr = cursor.read(0, ELF64_HEADER_SIZE);
            long shoff = ehdr.getLong(0x28);
            int shentsize = ehdr.getShort(0x3a) & 0xffff;
            int shnum = ehdr.getShort(0x3c) & 0xffff;
            if (shoff == 0 || shnum == 0) {
                // Without section headers the requirements cannot be found; saying "none" would pass a bad library.
                throw new IOException("no section headers (e_shoff=" + shoff + ", e_shnum=" + shnum + ")");
            }
            ByteBuffer shdrs = cursor.read(shoff, Math.multiplyExact(shnum, shentsize));
            for (int i = 0; i < shnum; i++) {
                Section section = Section.at(shdrs, i * shentsize);
                if (section.type() == SHT_GNU_VERNEED) {
                    if (section.link() <= 0 || section.link() >= shnum) {
                        throw new IOException("version requirements link to section " + section.link());
                    }
                    Section strings = Section.at(shdrs, section.link() * shentsize);
                    return requirements(cursor, section, strings);
                }
            }
            return Map.of();
        }
    }

    /** Walks the Verneed chain and each entry's Vernaux chain; reads both sections in file order (one pass). */
    private static Map<String, SortedSet<String>> requirements(Cursor cursor, Section verneed, Section strtab)
            throws IOException {
        ByteBuffer needs;
        ByteBuffer strings;
        if (verneed.offset() < strtab.offset()) {
            needs = cursor.read(verneed.offset(), verneed.intSize());
            strings = cursor.read(strtab.offset(), strtab.intSize());
        } else {
            strings = cursor.read(strtab.offset(), strtab.intSize());
            needs = cursor.read(verneed.offset(), verneed.intSize());
        }
        Map<String, SortedSet<String>> byFile = new TreeMap<>();
        int entry = 0;
        for (int n = 0; n < verneed.info(); n++) { // sh_info: the number of Verneed entries
            int version = needs.getShort(entry) & 0xffff;
            if (version != 1) {
                throw new IOException("unknown Verneed version " + version + " at " + entry);
            }
            int count = needs.getShort(entry + 2) & 0xffff;
            SortedSet<String> versions = byFile.computeIfAbsent(string(strings, needs.getInt(entry + 4)),
                    file -> new TreeSet<>(ElfVersionRequirements::compare));
            int aux = entry + needs.getInt(entry + 8);
            for (int a = 0; a < count; a++) {
                versions.add(string(strings, needs.getInt(aux + 8)));
                aux += needs.getInt(aux + 12);
            }
            entry += needs.getInt(entry + 12);
        }
        return Collections.unmodifiableMap(byFile);
    }

    private static String string(ByteBuffer table, int offset) throws IOException {
        int end = offset;
        while (end < table.limit() && table.get(end) != 0) {
            end++;
        }
        if (end == table.limit()) {
            throw new IOException("string at " + offset + " runs past its table");
        }
        byte[] bytes = new byte[end - offset];
        table.get(offset, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** The fields of one Elf64_Shdr this reader uses. */
    private record Section(int type, long offset, long size, int link, int info) {
        static Section at(ByteBuffer headers, int at) {
            return new Section(headers.getInt(at + 4), headers.getLong(at + 24), headers.getLong(at + 32),
                    headers.getInt(at + 40), headers.getInt(at + 44));
        }

        int intSize() throws IOException {
            if (size > Integer.MAX_VALUE) {
                throw new IOException("section of " + size + " bytes");
            }
            return (int) size;
        }
    }

    /**
     * The highest {@code <family>_<n>.<n>...} version among requirements (e.g. GLIBC_2.29 for family GLIBC), compared
     * by number, not as text (2.2.5 &lt; 2.14).
     */
    public static Optional<String> highest(Map<String, ? extends Collection<String>> requirements, String family) {
        return requirements.values().stream().flatMap(Collection::stream)
                .filter(name -> family(name).equals(family))
                .max(ElfVersionRequirements::compare);
    }

    /**
     * Orders version names by family (the text before the first underscore), then by number; names without numbers
     * (GLIBC_PRIVATE) come after their family's numbered ones.
     */
    public static int compare(String a, String b) {
        int byFamily = family(a).compareTo(family(b));
        if (byFamily != 0) {
            return byFamily;
        }
        boolean numberedA = numbered(a);
        boolean numberedB = numbered(b);
        if (numberedA && numberedB) {
            int byNumbers = Arrays.compare(numbers(a), numbers(b));
            return byNumbers != 0 ? byNumbers : a.compareTo(b);
        }
        return numberedA == numberedB ? a.compareTo(b) : numberedA ? -1 : 1;
    }

    private static String family(String name) {
        int underscore = name.indexOf('_');
        return underscore < 0 ? name : name.substring(0, underscore);
    }

    private static boolean numbered(String name) {
        int underscore = name.indexOf('_');
        return underscore >= 0 && NUMBERED.matcher(name.substring(underscore + 1)).matches();
    }

    private static int[] numbers(String name) {
        return Arrays.stream(name.substring(name.indexOf('_') + 1).split("\\.")).mapToInt(Integer::parseInt).toArray();
    }

    /**
     * The requirements that go past a ceiling of their family, e.g. {@code GLIBC_2.35} for the ceiling
     * {@code GLIBC_2.34}; a name of the family without a number (GLIBC_PRIVATE) is always past it.
     */
    public static List<String> exceeding(Map<String, ? extends Collection<String>> requirements,
            List<String> ceilings) {
        List<String> over = new ArrayList<>();
        for (String ceiling : ceilings) {
            requirements.forEach((file, versions) -> versions.stream()
                    .filter(v -> family(v).equals(family(ceiling)) && (!numbered(v) || compare(v, ceiling) > 0))
                    .forEach(v -> over.add(v + " from " + file + " (at most " + ceiling + ")")));
        }
        return over;
    }

    /** One native library inside a jar and what it needs. */
    public record Library(String jar, String entry, Map<String, SortedSet<String>> requirements) {
    }

    /** The libraries in a folder's jars that Linux loads on the machine scanned for, and the entries for others. */
    public record JarScan(List<Library> libraries, List<String> otherPlatforms) {
        /** Per jar: how many libraries it holds and the highest version of each ceiling's family they need. */
        public List<String> summary(List<String> ceilings) {
            Map<String, List<Library>> byJar = new TreeMap<>();
            libraries.forEach(l -> byJar.computeIfAbsent(l.jar(), jar -> new ArrayList<>()).add(l));
            List<String> lines = new ArrayList<>();
            byJar.forEach((jar, libs) -> {
                Map<String, List<String>> all = new TreeMap<>();
                libs.forEach(l -> l.requirements().forEach((file, versions) ->
                        all.computeIfAbsent(file, f -> new ArrayList<>()).addAll(versions)));
                StringBuilder line = new StringBuilder(jar + ": " + libs.size() + " libraries");
                for (String ceiling : ceilings) {
                    String family = family(ceiling);
                    line.append(", ").append(highest(all, family).orElse("no " + family));
                }
                lines.add(line.toString());
            });
            return lines;
        }

        /** "jar!entry needs ..." for every requirement past a ceiling. */
        public List<String> exceeding(List<String> ceilings) {
            return libraries.stream().flatMap(l -> ElfVersionRequirements.exceeding(l.requirements(), ceilings)
                    .stream().map(over -> l.jar() + "!" + l.entry() + " needs " + over)).toList();
        }
    }

    /**
     * Every shared library ({@code *.so}, {@code *.so.N}) inside the jars of a folder, read in place. Those built for
     * another machine or OS (JNA ships 20 platforms) are listed apart: a Linux process on {@code target} never loads
     * them.
     */
    public static JarScan scanJars(Path folder, Machine target) throws IOException {
        List<Library> libraries = new ArrayList<>();
        List<String> otherPlatforms = new ArrayList<>();
        List<Path> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                    ZipEntry entry = entries.nextElement();
                    String name = entry.getName();
                    if (entry.isDirectory() || !(name.endsWith(".so") || name.contains(".so."))) {
                        continue;
                    }
                    Opener opener = () -> zip.getInputStream(entry);
                    String jarName = jar.getFileName().toString();
                    try {
                        if (header(opener).loadsOnLinux(target)) {
                            libraries.add(new Library(jarName, name, read(opener)));
                        } else {
                            otherPlatforms.add(jarName + "!" + name);
                        }
                    } catch (IOException e) {
                        throw new IOException(jarName + "!" + name + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return new JarScan(List.copyOf(libraries), List.copyOf(otherPlatforms));
    }

    /** Forward reads over a stream; a read before the current position reopens it. */
    private static final class Cursor implements AutoCloseable {
        private final Opener opener;
        private final byte[] skipBuffer = new byte[64 * 1024];
        private InputStream in;
        private long position;

        Cursor(Opener opener) {
            this.opener = opener;
        }

        ByteBuffer read(long offset, int length) throws IOException {
            if (in == null || offset < position) {
                close();
                in = opener.open();
                position = 0;
            }
            // InflaterInputStream.skip inflates 512 bytes a call; reading into a large buffer is many times faster.
            while (position < offset) {
                int n = in.read(skipBuffer, 0, (int) Math.min(skipBuffer.length, offset - position));
                if (n < 0) {
                    throw new EOFException("file ends before offset " + offset);
                }
                position += n;
            }
            byte[] bytes = in.readNBytes(length);
            position += bytes.length;
            if (bytes.length < length) {
                throw new EOFException("file ends inside " + length + " bytes at " + offset);
            }
            return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
                in = null;
            }
        }
    }
}
