package dev.facerec.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.facerec.cli.local.LocalStack;
import dev.facerec.recognition.ImageProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo as one self-contained HTML page: who was enrolled (the photo each was cut from), then every video with its
 * expected and actual outcome, the frame the splitter chose with each face's box, name and distance drawn over it (an
 * SVG over the embedded JPEG), and where the time went.
 */
public final class DemoReport {
    private DemoReport() {
    }

    public static void write(Path file, DemoScenario.Written scenario, List<DemoRun.Result> results,
                             double threshold, double seconds) throws IOException {
        long expected = results.stream().filter(DemoRun.Result::asExpected).count();
        StringBuilder html = new StringBuilder();
        html.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>faas demo</title>
                <style>
                body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
                table { border-collapse: collapse; margin: .5em 0 1em; }
                td, th { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
                .ok { color: #11772d; font-weight: bold; } .wrong { color: #b3261e; font-weight: bold; }
                .people { display: flex; gap: 1.5em; } .people figure { margin: 0; max-width: 260px; }
                .people img { width: 240px; border: 1px solid #ccc; }
                section { border-top: 2px solid #ddd; margin-top: 1.5em; padding-top: .5em; }
                svg.frame { width: 100%; max-width: 960px; border: 1px solid #ccc; }
                .timings td:last-child { text-align: right; }
                </style></head><body>
                """);
        html.append("<h1>faas demo: who is in each video</h1>\n");
        html.append(String.format(Locale.ROOT, "<p class=\"%s\">%d of %d videos as expected, in %.1f s.</p>%n",
                expected == results.size() ? "ok" : "wrong", expected, results.size(), seconds));
        html.append("<p>Each video was uploaded to the input bucket of a local stack (S3Mock, the real "
                + "video-splitting and face-recognition handlers); the outcome, record and frame shown here were read "
                + "back from its output and stage-1 buckets. A face is named when its descriptor is within "
                + String.format(Locale.ROOT, "%.2f", threshold) + " of an enrolled one (Euclidean distance).</p>\n");
        html.append("<p>The photos are the group photos of the npm package <code>@vladmandic/face-api</code> (MIT). "
                + "This shows the pipeline's mechanics, not its accuracy: each enrolled person is recognised in a "
                + "video of the photo their face was cut from, at another scale.</p>\n");

        html.append("<h2>Enrolled</h2>\n<div class=\"people\">\n");
        for (DemoScenario.Enrolment person : scenario.enrolled()) {
            for (Path photo : photos(scenario.photos().resolve(person.name()))) {
                html.append("<figure><img alt=\"").append(escape(person.name())).append("\" src=\"")
                        .append(dataUri(Files.readAllBytes(photo))).append("\"><figcaption><b>")
                        .append(escape(person.name())).append("</b>: cut from ").append(escape(person.who()))
                        .append("</figcaption></figure>\n");
            }
        }
        html.append("</div>\n");

        html.append("<h2>Videos</h2>\n<table><tr><th>video</th><th>expected</th><th>got</th><th></th>"
                + "<th>why</th></tr>\n");
        for (DemoRun.Result result : results) {
            html.append("<tr><td><a href=\"#").append(anchor(result)).append("\">")
                    .append(escape(result.video().name())).append("</a></td><td>")
                    .append(escape(result.video().expected())).append("</td><td>").append(escape(result.outcome()))
                    .append("</td>").append(verdict(result)).append("<td>").append(escape(result.video().why()))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");

        for (DemoRun.Result result : results) {
            section(html, result);
        }
        html.append("</body></html>\n");
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    private static void section(StringBuilder html, DemoRun.Result result) {
        html.append("<section id=\"").append(anchor(result)).append("\"><h3>")
                .append(escape(result.video().name())).append(": ").append(escape(result.outcome()))
                .append(" <span class=\"").append(result.asExpected() ? "ok\">as expected" : "wrong\">expected "
                        + escape(result.video().expected())).append("</span></h3>\n");
        html.append("<p>").append(escape(result.video().why())).append("</p>\n");
        JsonNode record = result.record();
        if (record != null && record.hasNonNull("reason")) {
            html.append("<p>Record: <code>").append(escape(record.path("stage").asText())).append("</code> stage: ")
                    .append(escape(record.get("reason").asText())).append("</p>\n");
        }
        if (result.frame() != null) {
            html.append("<p>The frame the splitter chose, at ").append(escape(result.frameTime()))
                    .append(" s into the video:</p>\n");
            frame(html, result.frame(), record);
            faces(html, record);
        }
        timings(html, result);
        html.append("</section>\n");
    }

    /** The frame at its own size in an SVG, each face's box over it: green when named, red when not. */
    private static void frame(StringBuilder html, byte[] jpeg, JsonNode record) {
        ImageProbe.Size size = ImageProbe.size(jpeg);
        html.append(String.format(Locale.ROOT, "<svg class=\"frame\" viewBox=\"0 0 %d %d\" "
                + "xmlns=\"http://www.w3.org/2000/svg\"><image width=\"%d\" height=\"%d\" href=\"%s\"/>%n",
                size.width(), size.height(), size.width(), size.height(), dataUri(jpeg)));
        double stroke = Math.max(2, size.width() / 400.0);
        double font = Math.max(14, size.width() / 45.0);
        for (JsonNode face : record == null ? List.<JsonNode>of() : iterable(record.path("faces"))) {
            JsonNode box = face.path("box");
            boolean named = face.path("matched").asBoolean();
            String color = named ? "#2ecc40" : "#ff4136";
            String label = (named ? face.path("match").asText() : "Unknown")
                    + (face.hasNonNull("distance") ? String.format(Locale.ROOT, " %.2f", face.get("distance")
                    .asDouble()) : "");
            double x = box.path("x").asDouble();
            double y = box.path("y").asDouble();
            html.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n", x, y, box.path("width").asDouble(),
                    box.path("height").asDouble(), color, face.path("primary").asBoolean() ? stroke * 2 : stroke));
            html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" fill=\"%s\" "
                    + "stroke=\"black\" stroke-width=\"%.1f\" paint-order=\"stroke\" font-family=\"sans-serif\" "
                    + "font-weight=\"bold\">%s</text>%n", x, Math.max(font, y - stroke * 2), font, color,
                    font / 8, escape(label)));
        }
        html.append("</svg>\n");
        if (record != null && record.path("faces").isEmpty()) {
            html.append("<p>No face found in this frame.</p>\n");
        }
    }

    /** Each face's nearest enrolled person and the runner-up, largest face first, as the record lists them. */
    private static void faces(StringBuilder html, JsonNode record) {
        if (record == null || record.path("faces").isEmpty()) {
            return;
        }
        html.append("<table><tr><th>face (x, y, w, h)</th><th>named</th><th>nearest</th><th>distance</th>"
                + "<th>runner-up</th><th>distance</th></tr>\n");
        for (JsonNode face : iterable(record.path("faces"))) {
            JsonNode box = face.path("box");
            html.append(String.format(Locale.ROOT, "<tr><td>%.0f, %.0f, %.0f, %.0f</td><td>%s</td><td>%s</td>"
                            + "<td>%s</td><td>%s</td><td>%s</td></tr>%n", box.path("x").asDouble(),
                    box.path("y").asDouble(), box.path("width").asDouble(), box.path("height").asDouble(),
                    face.path("matched").asBoolean() ? "yes" : "no", escape(face.path("match").asText("")),
                    distance(face.get("distance")), escape(face.path("runner_up").asText("")),
                    distance(face.get("runner_up_distance"))));
        }
        html.append("</table>\n");
    }

    private static String distance(JsonNode value) {
        return value == null || value.isNull() ? "" : String.format(Locale.ROOT, "%.3f", value.asDouble());
    }

    private static void timings(StringBuilder html, DemoRun.Result result) {
        html.append("<table class=\"timings\"><tr><th>stage</th><th>ms</th></tr>\n");
        if (result.uploadToOutcomeMillis() >= 0) {
            row(html, "upload to outcome (both functions, the hand-over, S3)", result.uploadToOutcomeMillis());
        }
        for (LocalStack.Step step : result.steps()) {
            row(html, step.function() + " (whole invocation)", step.millis());
        }
        JsonNode record = result.record();
        if (record != null) {
            for (Map.Entry<String, JsonNode> stage : iterableFields(record.path("timings_ms"))) {
                row(html, "face-recognition: " + stage.getKey(), stage.getValue().asDouble());
            }
        }
        html.append("</table>\n");
    }

    private static void row(StringBuilder html, String stage, double millis) {
        html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.1f</td></tr>%n", escape(stage), millis));
    }

    private static String verdict(DemoRun.Result result) {
        return result.asExpected() ? "<td class=\"ok\">as expected</td>" : "<td class=\"wrong\">WRONG</td>";
    }

    private static String anchor(DemoRun.Result result) {
        return "video-" + result.video().name().replaceAll("[^A-Za-z0-9]", "-");
    }

    private static List<Path> photos(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    private static String dataUri(byte[] jpeg) {
        return "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg);
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        return array::elements;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterableFields(JsonNode object) {
        return object::fields;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
