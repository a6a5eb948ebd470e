package dev.facerec.recognition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.common.testing.ElfVersionRequirements;
import dev.facerec.common.testing.ElfVersionRequirements.Machine;
import dev.facerec.common.testing.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The natives inside the jars docker/face-recognition.Dockerfile copies (target/lib: libtorch, DJL's JNI, OpenCV,
 * OpenBLAS, JavaCPP, JNA) load on the Lambda base image: none needs a newer glibc or libstdc++ than Amazon Linux 2023.
 */
class NativeCompatibilityTest {

    @Test
    void everyNativeLibraryLoadsOnAmazonLinux2023() throws IOException {
        // The build's own jars and machine (the arm64 profile sets both: pom.xml), or this build's x86_64 ones.
        Path natives = Path.of(System.getProperty("faas.nativesDir",
                SharedData.projectRoot().resolve("face-recognition/target/lib").toString()));
        Machine machine = Machine.named(System.getProperty("faas.nativeMachine", "x86_64"));
        ElfVersionRequirements.JarScan scan = ElfVersionRequirements.scanJars(natives, machine);
        System.out.println(natives + " for " + machine + ":");
        scan.summary(ElfVersionRequirements.AMAZON_LINUX_2023).forEach(System.out::println);

        assertThat(scan.libraries()).as("libtorch, the largest and the one DJL always loads, for " + machine)
                .anySatisfy(l -> assertThat(l.entry()).endsWith("/libtorch_cpu.so"));
        assertThat(scan.exceeding(ElfVersionRequirements.AMAZON_LINUX_2023)).isEmpty();
    }
}
