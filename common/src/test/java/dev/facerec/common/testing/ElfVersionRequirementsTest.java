package dev.facerec.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facerec.common.testing.ElfVersionRequirements.Machine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfVersionRequirementsTest {
    /** Debian 12's libstdc++6 12.2.0-14+deb12u1, the library the expectations below were read from. */
    static final Path LIBSTDCXX = Path.of("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30");
    static final String LIBSTDCXX_SHA256 = "e7848e32af4932840ba775169041759a2a8dd5a008af360e5c55bce506eebcf4";

    /** {@code objdump -p libstdc++.so.6.0.30}, "Version References", checked by hand. */
    static final Map<String, Set<String>> LIBSTDCXX_NEEDS = Map.of(
            "libm.so.6", Set.of("GLIBC_2.2.5"),
            "ld-linux-x86-64.so.2", Set.of("GLIBC_2.3"),
            "libgcc_s.so.1", Set.of("GCC_4.2.0", "GCC_3.4", "GCC_3.3", "GCC_3.0"),
            "libc.so.6", Set.of("GLIBC_2.14", "GLIBC_2.6", "GLIBC_2.33", "GLIBC_2.25", "GLIBC_2.18", "GLIBC_2.16",
                    "GLIBC_2.32", "GLIBC_2.4", "GLIBC_2.17", "GLIBC_2.3", "GLIBC_2.36", "GLIBC_2.3.2", "GLIBC_2.34",
                    "GLIBC_2.2.5"));

    static byte[] libstdcxx;

    @BeforeAll
    static void verifiedLibrary() throws IOException, NoSuchAlgorithmException {
        Assumptions.assumeTrue(Files.isRegularFile(LIBSTDCXX), LIBSTDCXX + " is missing (not Debian 12 x86-64)");
        libstdcxx = Files.readAllBytes(LIBSTDCXX);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(libstdcxx));
        Assumptions.assumeTrue(sha256.equals(LIBSTDCXX_SHA256),
                LIBSTDCXX + " is another build than the one the expectations were read from: " + sha256);
    }

    @Test
    void readsEveryVerneedAndVernauxOfARealLibrary() throws IOException {
        var needs = ElfVersionRequirements.read(ElfVersionRequirements.opener(LIBSTDCXX));

        assertThat(needs).containsOnlyKeys(LIBSTDCXX_NEEDS.keySet());
        LIBSTDCXX_NEEDS.forEach((file, versions) ->
                assertThat(needs.get(file)).as(file).containsExactlyInAnyOrderElementsOf(versions));
        assertThat(ElfVersionRequirements.header(ElfVersionRequirements.opener(LIBSTDCXX)).loadsOnLinux(Machine.X86_64))
                .isTrue();
    }

    @Test
    void aDebian12LibraryNeedsMoreThanAmazonLinux2023Has() throws IOException {
        var needs = ElfVersionRequirements.read(ElfVersionRequirements.opener(LIBSTDCXX));

        assertThat(ElfVersionRequirements.highest(needs, "GLIBC")).contains("GLIBC_2.36");
        assertThat(ElfVersionRequirements.highest(needs, "GCC")).contains("GCC_4.2.0");
        assertThat(ElfVersionRequirements.highest(needs, "GLIBCXX")).isEmpty();
        assertThat(ElfVersionRequirements.exceeding(needs, ElfVersionRequirements.AMAZON_LINUX_2023))
                .containsExactly("GLIBC_2.36 from libc.so.6 (at most GLIBC_2.34)");
    }

    @Test
    void versionsCompareByNumberNotText() {
        Map<String, List<String>> needs = Map.of("libc.so.6", List.of("GLIBC_2.2.5", "GLIBC_2.14", "GLIBC_2.9"),
                "libstdc++.so.6", List.of("GLIBCXX_3.4.9", "GLIBCXX_3.4.30", "CXXABI_1.3.13"));

        assertThat(ElfVersionRequirements.highest(needs, "GLIBC")).contains("GLIBC_2.14");
        assertThat(ElfVersionRequirements.highest(needs, "GLIBCXX")).contains("GLIBCXX_3.4.30");
        assertThat(ElfVersionRequirements.exceeding(needs, ElfVersionRequirements.AMAZON_LINUX_2023))
                .containsExactly("GLIBCXX_3.4.30 from libstdc++.so.6 (at most GLIBCXX_3.4.29)");
        assertThat(ElfVersionRequirements.exceeding(Map.of("libc.so.6", List.of("GLIBC_2.34", "GLIBC_PRIVATE")),
                List.of("GLIBC_2.34"))).containsExactly("GLIBC_PRIVATE from libc.so.6 (at most GLIBC_2.34)");
    }

    @Test
    void readsLibrariesInsideJarsAndSetsOtherPlatformsApart(@TempDir Path dir) throws IOException {
        byte[] aarch64 = libstdcxx.clone();
        aarch64[18] = (byte) 183; // e_machine EM_AARCH64
        Path jar = dir.resolve("natives.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            put(zip, "lib/linux-x86_64/libstdc++.so.6", libstdcxx);
            put(zip, "lib/linux-arm64/libstdc++.so.6", aarch64);
            put(zip, "lib/README.txt", "not a library".getBytes(StandardCharsets.UTF_8));
        }

        ElfVersionRequirements.JarScan scan = ElfVersionRequirements.scanJars(dir, Machine.X86_64);

        assertThat(scan.libraries()).singleElement().satisfies(library -> {
            assertThat(library.entry()).isEqualTo("lib/linux-x86_64/libstdc++.so.6");
            assertThat(library.requirements()).containsOnlyKeys(LIBSTDCXX_NEEDS.keySet());
            assertThat(library.requirements().get("libc.so.6")).hasSize(14);
        });
        assertThat(scan.otherPlatforms()).containsExactly("natives.jar!lib/linux-arm64/libstdc++.so.6");
        assertThat(scan.summary(ElfVersionRequirements.AMAZON_LINUX_2023))
                .containsExactly("natives.jar: 1 libraries, GLIBC_2.36, no GLIBCXX");
        assertThat(scan.exceeding(ElfVersionRequirements.AMAZON_LINUX_2023)).containsExactly(
                "natives.jar!lib/linux-x86_64/libstdc++.so.6 needs GLIBC_2.36 from libc.so.6 (at most GLIBC_2.34)");

        ElfVersionRequirements.JarScan arm64 = ElfVersionRequirements.scanJars(dir, Machine.named("aarch64"));
        assertThat(arm64.libraries()).extracting(ElfVersionRequirements.Library::entry)
                .containsExactly("lib/linux-arm64/libstdc++.so.6");
        assertThat(arm64.otherPlatforms()).containsExactly("natives.jar!lib/linux-x86_64/libstdc++.so.6");
    }

    @Test
    void aLibraryThatIsNotElfFailsTheScanNamingIt(@TempDir Path dir) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve("natives.jar")))) {
            put(zip, "lib/libfake.so.1", "not ELF".getBytes(StandardCharsets.UTF_8));
        }

        assertThatThrownBy(() -> ElfVersionRequirements.scanJars(dir, Machine.X86_64))
                .hasMessageStartingWith("natives.jar!lib/libfake.so.1: not an ELF file");
    }

    @Test
    void refusesWhatItCannotRead() {
        byte[] elf32 = libstdcxx.clone();
        elf32[4] = 1; // EI_CLASS ELFCLASS32
        assertThatThrownBy(() -> ElfVersionRequirements.read(() -> new ByteArrayInputStream(elf32)))
                .hasMessageContaining("not a 64-bit little-endian ELF file");

        byte[] noSections = libstdcxx.clone();
        ByteBuffer.wrap(noSections).order(ByteOrder.LITTLE_ENDIAN).putShort(0x3c, (short) 0); // e_shnum
        assertThatThrownBy(() -> ElfVersionRequirements.read(() -> new ByteArrayInputStream(noSections)))
                .hasMessageContaining("no section headers");

        assertThatThrownBy(() -> ElfVersionRequirements.read(() -> new ByteArrayInputStream(new byte[64])))
                .hasMessageContaining("not an ELF file");
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
