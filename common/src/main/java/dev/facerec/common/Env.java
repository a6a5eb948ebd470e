package dev.facerec.common;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed, validated reads of environment variables. Built over a map so that tests and the local stack can pass their
 * own environment; production code uses {@link #system()}.
 */
public final class Env {
    // S3 bucket naming rules: 3-63 chars, lower case letters, digits, dots and hyphens, starting and ending alphanumeric.
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final Map<String, String> values;

    public Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public Optional<String> optional(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigException(name, "is not set"));
    }

    public String bucket(String name) {
        String value = required(name);
        if (!BUCKET_NAME.matcher(value).matches()) {
            throw new ConfigException(name, "is not a valid S3 bucket name: '" + value + "'");
        }
        return value;
    }

    public Optional<String> optionalBucket(String name) {
        return optional(name).map(value -> bucket(name));
    }

    public Optional<URI> optionalHttpUrl(String name) {
        return optional(name).map(value -> {
            try {
                URI uri = new URI(value);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new ConfigException(name, "must be an http(s) URL, got '" + value + "'");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new ConfigException(name, "is not a URL: '" + value + "'");
            }
        });
    }

    public int positiveInt(String name, int defaultValue) {
        return optional(name).map(value -> {
            try {
                int parsed = Integer.parseInt(value);
                if (parsed <= 0) {
                    throw new ConfigException(name, "must be a positive integer, got '" + value + "'");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigException(name, "must be a positive integer, got '" + value + "'");
            }
        }).orElse(defaultValue);
    }

    public double positiveDouble(String name, double defaultValue) {
        return optional(name).map(value -> {
            try {
                double parsed = Double.parseDouble(value);
                if (!(parsed > 0) || Double.isInfinite(parsed)) {
                    throw new ConfigException(name, "must be a positive number, got '" + value + "'");
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new ConfigException(name, "must be a positive number, got '" + value + "'");
            }
        }).orElse(defaultValue);
    }
}
