package dev.facerec.recognition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facerec.common.testing.ElfVersionRequirements;
import dev.facerec.common.testing.SharedData;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The natives inside the jars docker/face-recognition.Dockerfile copies (target/lib: libtorch, DJL's JNI, OpenCV,
 * OpenBLAS, JavaCPP, JNA) load on the Lambda base image: none needs a newer glibc or libstdc++ than Amazon Linux 2023.
 */
class NativeCompatibilityTest {

    @Test
    void everyNativeLibraryLoadsOnAmazonLinux2023() throws IOException {
        ElfVersionRequirements.JarScan scan = ElfVersionRequirements.scanJars(
                SharedData.projectRoot().resolve("face-recognition/target/lib"));
        scan.summary(ElfVersionRequirements.AMAZON_LINUX_2023).forEach(System.out::println);

        assertThat(scan.libraries()).as("libtorch, the largest and the one DJL always loads")
                .anySatisfy(l -> assertThat(l.entry()).endsWith("/libtorch_cpu.so"));
        assertThat(scan.exceeding(ElfVersionRequirements.AMAZON_LINUX_2023)).isEmpty();
    }
}
