package dev.facerec.splitter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.common.testing.ElfVersionRequirements;
import dev.facerec.common.testing.ElfVersionRequirements.Machine;
import dev.facerec.common.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The natives inside the jars docker/video-splitting.Dockerfile copies (target/lib) load on the Lambda base image:
 * no library needs a newer glibc or libstdc++ than Amazon Linux 2023 has. (libavdevice also needs PulseAudio, ALSA
 * and XCB libraries Lambda lacks; JavaCV tries to load it, fails, and goes on: only versions are checked here.)
 */
class NativeCompatibilityTest {

    @Test
    void everyNativeLibraryLoadsOnAmazonLinux2023() throws IOException {
        // The build's own jars and machine (the arm64 profile sets both: pom.xml), or this build's x86_64 ones.
        Path natives = Path.of(System.getProperty("faas.nativesDir",
                SharedData.projectRoot().resolve("video-splitting/target/lib").toString()));
        Machine machine = Machine.named(System.getProperty("faas.nativeMachine", "x86_64"));
        ElfVersionRequirements.JarScan scan = ElfVersionRequirements.scanJars(natives, machine);
        System.out.println(natives + " for " + machine + ":");
        scan.summary(ElfVersionRequirements.AMAZON_LINUX_2023).forEach(System.out::println);

        assertThat(scan.libraries()).as("FFmpeg's libraries, the reason for the check, for " + machine)
                .anySatisfy(l -> assertThat(l.entry()).endsWith("/libavcodec.so.61"));
        assertThat(scan.exceeding(ElfVersionRequirements.AMAZON_LINUX_2023)).isEmpty();
    }
}
