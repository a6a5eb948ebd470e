package dev.facerec.localaws;

import com.adobe.testing.s3mock.S3MockApplication;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Adobe S3Mock in this JVM, on a loopback port of its choosing: only the front ({@link S3Front}) and the functions
 * talk to it.
 */
public final class S3MockServer implements AutoCloseable {
    public static final String LOOPBACK = "127.0.0.1";
    // Tomcat logs through java.util.logging, which the faas command's Log4j configuration does not reach; kept here,
    // as JUL holds its loggers weakly and would forget the level.
    private static final java.util.logging.Logger TOMCAT = java.util.logging.Logger.getLogger("org.apache");
    // On stopping, Tomcat warns of S3Mock's idle task-executor threads as a possible leak; the stack is stopped only
    // when the command ends, so there is nothing to leak.
    private static final java.util.logging.Logger LEAK_CHECK =
            java.util.logging.Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase");

    private final S3MockApplication app;

    private S3MockServer(S3MockApplication app) {
        this.app = app;
    }

    /** Starts S3Mock with its data under {@code root}, left there after {@link #close()}. */
    public static S3MockServer start(Path root, List<String> buckets) {
        TOMCAT.setLevel(Level.WARNING); // warnings and errors only, as the rest of the faas command
        LEAK_CHECK.setLevel(Level.SEVERE);
        Map<String, Object> properties = new HashMap<>();
        // Spring's connector, plain HTTP: TLS would only cost start-up time on loopback.
        properties.put(S3MockApplication.PROP_HTTPS_PORT, 0);
        properties.put("server.ssl.enabled", false);
        properties.put("server.address", LOOPBACK);
        // The second connector S3Mock always adds, unused here.
        properties.put("com.adobe.testing.s3mock.httpPort", 0);
        properties.put("spring.main.sources", LoopbackHttpConnector.class.getName());
        properties.put(S3MockApplication.PROP_INITIAL_BUCKETS, String.join(",", buckets));
        properties.put(S3MockApplication.PROP_ROOT_DIRECTORY, root.toString());
        // Otherwise S3Mock deletes its root in a JVM shutdown hook of its own, while ours still drains the functions.
        properties.put("com.adobe.testing.s3mock.store.retainFilesOnExit", true);
        properties.put(S3MockApplication.PROP_SILENT, true);
        // Stopping is ours to order: after the functions have written their last outcome, not in parallel with them.
        properties.put("spring.main.register-shutdown-hook", false);
        return new S3MockServer(S3MockApplication.start(properties));
    }

    // Marked for removal since S3Mock 2.12.2 with no successor; S3Mock's own test support still reads it this way.
    @SuppressWarnings("removal")
    public URI url() {
        return urlOf(new InetSocketAddress(LOOPBACK, app.getPort()));
    }

    /** The URL this process reaches a server listening on {@code address} at: loopback for the wildcard address. */
    public static URI urlOf(InetSocketAddress address) {
        String host = address.getAddress().isAnyLocalAddress() ? LOOPBACK : address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
    }

    @Override
    public void close() {
        app.stop();
    }

    /**
     * S3Mock adds a connector beside Spring's and gives it only a port, so it would listen on every interface; this
     * binds it to loopback too. Spring applies it to the factory S3Mock's configuration builds.
     */
    public static final class LoopbackHttpConnector
            implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {
        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.getAdditionalTomcatConnectors().forEach(connector -> connector.setProperty("address", LOOPBACK));
        }
    }
}
