package dev.facerec.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local Invoke endpoint under clients that misbehave: one that stalls mid-request delays no other invoke and is
 * dropped after the read timeout; a payload over Lambda's limit is refused; every accepted invoke runs once.
 */
class LambdaEndpointTest {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

    private final List<Map<String, Object>> runs = new CopyOnWriteArrayList<>();
    private final CountDownLatch ran = new CountDownLatch(1);
    private LambdaEndpoint endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        // Each accepted payload, taken on the endpoint's own thread before its 202, as a function's queue takes it.
        endpoint = new LambdaEndpoint("face-recognition", payload -> {
            runs.add(payload);
            ran.countDown();
        }, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), READ_TIMEOUT);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void aClientStalledMidRequestDelaysNoOtherInvokeAndIsDropped() throws Exception {
        try (Socket stalled = new Socket("127.0.0.1", endpoint.url().getPort())) {
            OutputStream out = stalled.getOutputStream();
            out.write(("POST /2015-03-31/functions/face-recognition/invocations HTTP/1.1\r\nHost: x\r\n"
                    + "X-Amz-Invocation-Type: Event\r\nContent-Length: 1000\r\n\r\n{\"bucket_name\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            HttpResponse<String> other = invoke("{\"bucket_name\":\"faas-stage\",\"image_file_name\":\"a.jpg\"}");

            assertThat(other.statusCode()).isEqualTo(202);
            assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
            // The stalled request is dropped, not answered: the server closes the connection.
            stalled.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            InputStream in = stalled.getInputStream();
            assertThat(readOrReset(in)).as("the server closed the stalled connection").isEqualTo(-1);
        }
        assertThat(runs).singleElement().satisfies(payload -> assertThat(payload).containsEntry("image_file_name",
                "a.jpg"));
    }

    @Test
    void aPayloadOverTheLimitIsRefusedAndNothingRuns() throws Exception {
        String big = "{\"bucket_name\":\"" + "x".repeat(LambdaEndpoint.MAX_PAYLOAD_BYTES) + "\"}";

        HttpResponse<String> answer = invoke(big);

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.headers().firstValue("X-Amzn-ErrorType")).hasValue("RequestTooLargeException");
        assertThat(answer.body()).contains("over " + LambdaEndpoint.MAX_PAYLOAD_BYTES + " bytes");
        assertThat(runs).isEmpty();
    }

    @Test
    void everyAcceptedInvokeRunsOnce() throws Exception {
        for (int i = 0; i < 8; i++) {
            assertThat(invoke("{\"image_file_name\":\"" + i + ".jpg\"}").statusCode()).isEqualTo(202);
        }

        assertThat(runs).extracting(payload -> payload.get("image_file_name"))
                .containsExactlyInAnyOrder("0.jpg", "1.jpg", "2.jpg", "3.jpg", "4.jpg", "5.jpg", "6.jpg", "7.jpg");
    }

    private HttpResponse<String> invoke(String payload) throws Exception {
        URI uri = endpoint.url().resolve("/2015-03-31/functions/face-recognition/invocations");
        return http.send(HttpRequest.newBuilder(uri).header("X-Amz-Invocation-Type", "Event")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(payload)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** -1 once the peer has closed; a reset counts as closed too. */
    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            return -2;
        } catch (IOException e) {
            return -1;
        }
    }
}
