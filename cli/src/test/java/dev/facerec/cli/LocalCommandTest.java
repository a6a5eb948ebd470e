package dev.facerec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.cli.local.LocalStack;
import dev.facerec.common.Deadline;
import dev.facerec.common.Env;
import dev.facerec.common.Json;
import dev.facerec.common.aws.AwsClients;
import dev.facerec.common.aws.AwsSettings;
import dev.facerec.common.testing.CourseWorkload;
import dev.facerec.common.testing.SharedData;
import dev.facerec.common.testing.TestAws;
import dev.facerec.recognition.SampleFaces;
import dev.facerec.recognition.gallery.GalleryJson;
import dev.facerec.splitter.lambda.VideoSplitter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * faas local in this JVM, used as a person uses it: objects put into its S3 endpoint with an S3 client (a plain
 * upload, a multipart upload, a copy to a key with spaces), names read back from the output bucket, then stopped.
 */
class LocalCommandTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void uploadsThroughTheEndpointComeOutAsNamesAndStoppingClosesThePort() throws Exception {
        Map<String, String> expected = CourseWorkload.course().stream()
                .collect(Collectors.toMap(CourseWorkload.Video::name, CourseWorkload.Video::expectedName));
        StringWriter printed = new StringWriter();
        LocalCommand command = new LocalCommand();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(printed, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        cli.parseArgs("--port", "0", "--gallery", SharedData.seedGallery().toString());

        int port;
        Path data;
        try (LocalStack stack = command.start()) {
            port = stack.port();
            data = stack.data();
            assertThat(printed.toString()).contains(
                    "aws --endpoint-url http://127.0.0.1:" + port + " s3 cp video.mp4 s3://faas-input/",
                    "s3://faas-gallery/gallery.json: 8 people, 16 descriptors");
            try (S3Client s3 = AwsClients.s3(AwsSettings.from(new Env(TestAws.environment(port, null))))) {
                // Objects written elsewhere than the input bucket start nothing.
                s3.putObject(b -> b.bucket("faas-output").key("stray.mp4"),
                        RequestBody.fromFile(SharedData.seedVideo("test_2.mp4")));

                s3.putObject(b -> b.bucket("faas-input").key("test_0.mp4"),
                        RequestBody.fromFile(SharedData.seedVideo("test_0.mp4")));
                String upload = s3.createMultipartUpload(b -> b.bucket("faas-input").key("test_4.mp4")).uploadId();
                String part = s3.uploadPart(b -> b.bucket("faas-input").key("test_4.mp4").uploadId(upload)
                        .partNumber(1), RequestBody.fromBytes(Files.readAllBytes(SharedData.seedVideo("test_4.mp4"))))
                        .eTag();
                s3.completeMultipartUpload(b -> b.bucket("faas-input").key("test_4.mp4").uploadId(upload)
                        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(part).build())));

                assertThat(awaitText(s3, "test_0.txt", printed)).isEqualTo(expected.get("test_0.mp4"));
                assertThat(awaitText(s3, "test_4.txt", printed)).isEqualTo(expected.get("test_4.mp4"));
                assertThat(s3.headObject(b -> b.bucket("faas-stage").key("test_4.jpg")).contentType())
                        .isEqualTo("image/jpeg");

                // Stopped as soon as the copy is acknowledged: its video must still go through both functions.
                s3.copyObject(b -> b.sourceBucket("faas-input").sourceKey("test_0.mp4")
                        .destinationBucket("faas-input").destinationKey("my videos/test 0 copy.mp4"));
            }
        }

        // Each step line states the outcome read back from S3 after the handler returned.
        String steps = printed.toString();
        assertThat(steps).containsPattern(Pattern.compile(
                "^test_0\\.mp4\tvideo-splitting\t\\d+ ms\tframe at \\d+\\.\\d{3} s -> face-recognition$",
                Pattern.MULTILINE));
        assertThat(steps).containsPattern(Pattern.compile(
                "^my videos/test 0 copy\\.mp4\tface-recognition\t\\d+ ms\t" + expected.get("test_0.mp4") + "$",
                Pattern.MULTILINE));
        // One split and one recognition per video, none for the stray.
        assertThat(steps.lines().filter(l -> l.contains("\tvideo-splitting\t"))).hasSize(3);
        assertThat(steps.lines().filter(l -> l.contains("\tface-recognition\t"))).hasSize(3);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertThat(data).as("the temporary objects folder").doesNotExist();
    }

    @Test
    void withKeyframesTheRecordTellsWhoIsInTheWholeVideoAndWhen(@TempDir Path dir)
            throws Exception {
        Path gallery = Files.write(dir.resolve("gallery.json"),
                GalleryJson.write(SampleFaces.twoPeople()));
        Path story = SampleFaces.story(dir.resolve("story.mp4"));
        StringWriter printed = new StringWriter();
        LocalCommand command = new LocalCommand();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(printed, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        cli.parseArgs("--port", "0", "--gallery", gallery.toString(), "--frames", "keyframes");

        try (LocalStack stack = command.start()) {
            assertThat(printed.toString()).contains("frames, <stem>.jpg and <stem>.frames/<seconds>.jpeg");
            try (S3Client s3 = AwsClients.s3(AwsSettings.from(new Env(TestAws.environment(stack.port(), null))))) {
                s3.putObject(b -> b.bucket("faas-input").key("story.mp4"), RequestBody.fromFile(story));

                assertThat(awaitText(s3, "story.txt", printed)).isEqualTo(SampleFaces.SECOND);
                var record = Json.MAPPER.readTree(
                        s3.getObjectAsBytes(b -> b.bucket("faas-output").key("story.json")).asUtf8String());
                assertThat(record.get("people")).extracting(p -> p.get("name").asText()).containsExactly("Unknown",
                        SampleFaces.ENROLLED, SampleFaces.SECOND);
                assertThat(record.get("people").get(1).get("first_seconds").asDouble()).isEqualTo(4.0);
                assertThat(s3.headObject(b -> b.bucket("faas-stage").key("story.frames/000008.000.jpeg"))
                        .contentType()).isEqualTo("image/jpeg");
            }
        }
        assertThat(printed.toString()).containsPattern(Pattern.compile(
                "^story\\.mp4\tvideo-splitting\t\\d+ ms\tframes from 2\\.000 s -> face-recognition$",
                Pattern.MULTILINE));
    }

    /**
     * What sam local invoke does against faas local (docs/DEPLOY.md), less the container: a splitter in another
     * process, configured by samples/env.faas-local.json with the host's address for host.docker.internal, reads the
     * video from faas local's S3 endpoint and hands the frame to its Invoke endpoint, which runs face-recognition.
     */
    @Test
    void aSplitterElsewhereConfiguredByTheSamLocalSampleReachesBothEndpointsOnTheHostsAddress() throws Exception {
        InetAddress hostAddress = nonLoopbackAddress();
        JsonNode sample = Json.MAPPER.readTree(SharedData.projectRoot().resolve("samples/env.faas-local.json")
                .toFile()).get("VideoSplittingFunction");
        StringWriter printed = new StringWriter();
        LocalCommand command = new LocalCommand();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(printed, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        cli.parseArgs("--host", "0.0.0.0", "--port", "0", "--lambda-port", "0",
                "--gallery", SharedData.seedGallery().toString(),
                "--input-bucket", sample.get("INPUT_BUCKET").asText(),
                "--stage-bucket", sample.get("STAGE_BUCKET").asText(),
                "--output-bucket", sample.get("OUTPUT_BUCKET").asText());

        try (LocalStack stack = command.start()) {
            Map<String, String> env = new HashMap<>(TestAws.environment(stack.port(), null));
            sample.properties().forEach(variable -> env.put(variable.getKey(), variable.getValue().asText()
                    .replace("host.docker.internal:4566", hostAddress.getHostAddress() + ":" + stack.port())
                    .replace("host.docker.internal:4567", hostAddress.getHostAddress() + ":"
                            + stack.lambdaUrl().getPort())));
            assertThat(printed.toString()).contains("Lambda       " + stack.lambdaUrl());
            try (S3Client s3 = stack.newClient()) {
                s3.putObject(b -> b.bucket(stack.inputBucket()).key("test_0.mp4"),
                        RequestBody.fromFile(SharedData.seedVideo("test_0.mp4")));
            }

            VideoSplitter.fromEnvironment(new Env(env))
                    .process(stack.inputBucket(), "test_0.mp4", null, null, Deadline.ofRemaining(PATIENCE));

            // Once by faas local's own splitter on the upload, once by the one elsewhere.
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (recognitions(printed, "test_0.mp4") < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }
        assertThat(printed.toString().lines().filter(l -> l.startsWith("test_0.mp4\tface-recognition\t")))
                .hasSize(2).allSatisfy(line -> assertThat(line).endsWith("\t" + CourseWorkload.course().stream()
                        .filter(v -> v.name().equals("test_0.mp4")).findFirst().orElseThrow().expectedName()));
        assertThat(printed.toString().lines().filter(l -> l.startsWith("test_0.mp4\tvideo-splitting\t")))
                .hasSize(1);
    }

    private static long recognitions(StringWriter printed, String video) {
        return printed.toString().lines().filter(l -> l.startsWith(video + "\tface-recognition\t")).count();
    }

    /** An address of this machine that is not loopback: what a container reaches the host at. */
    private static InetAddress nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(LocalCommandTest::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst().orElseThrow(() -> new AssertionError("this machine has no IPv4 address but loopback"));
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp() && !network.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    @Test
    void aConcurrencyBelowOneIsRefused() {
        CommandLine cli = new CommandLine(new LocalCommand());
        assertThatThrownBy(() -> cli.parseArgs("--gallery", "g.json", "--recognition-concurrency", "0"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("must be at least 1, not 0");
    }

    private static String awaitText(S3Client s3, String key, StringWriter printed) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return s3.getObjectAsBytes(b -> b.bucket("faas-output").key(key)).asUtf8String();
            } catch (NoSuchKeyException e) {
                Thread.sleep(200);
            }
        }
        return fail("no s3://faas-output/%s after %s; faas local printed:%n%s", key, PATIENCE, printed);
    }
}
