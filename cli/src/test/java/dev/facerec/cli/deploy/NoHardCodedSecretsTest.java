package dev.facerec.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facerec.common.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the project ships holds no credentials, no account ids and, in its main code, no bucket names: AWS access key
 * ids, secret-key-like strings beside a word such as "secret", 12-digit account ids (in ARNs or alone), and Java
 * string literals in {@code src/main/java} that name a bucket (one of the names the samples and the test fixtures
 * use, or any {@code s3://...} / {@code arn:aws:s3:::...} literal): the functions take their buckets from
 * configuration. The patterns are first checked against planted examples built here, so that a scan that finds
 * nothing means something.
 */
class NoHardCodedSecretsTest {
    private static final Path ROOT = SharedData.projectRoot();

    /** The bucket names of the test fixtures (S3Mock's initial buckets in the handler and runtime tests). */
    /**
     * The samples' buckets. AWS reserves the amzn-s3-demo- prefix for examples, so no account can own them: a sample
     * run against AWS as written writes into nobody's bucket.
     */
    private static final Set<String> FIXTURE_BUCKETS = Set.of("amzn-s3-demo-faas-input", "amzn-s3-demo-faas-stage",
            "amzn-s3-demo-faas-output", "amzn-s3-demo-faas-gallery");

    /**
     * Findings that are accepted, each for a reason: the file, the exact (trimmed) line, and why. Every entry must
     * still match something, so that the list cannot outlive what it excuses.
     */
    private static final List<Allowed> ALLOWED = List.of(
            new Allowed("local-aws/src/main/java/dev/facerec/localaws/LambdaRuntimeApi.java",
                    "\"arn:aws:lambda:us-east-1:123456789012:function:\" + functionName);",
                    "the local Runtime API's made-up ARN of the function it serves (Lambda-Runtime-Invoked-Function-Arn): "
                            + "AWS's documentation example account, as moto uses it, never a real one"));

    private static Scanner scanner;

    @BeforeAll
    static void readBucketNames() throws IOException {
        scanner = new Scanner(bucketNames());
    }

    @Test
    void thePatternsFindPlantedSecretsAndLeaveLookalikesAlone() {
        // Built from pieces, so that this file holds none of them whole.
        String keyId = "AKIA" + "Q3EXAMPLE7XY2ZW4";
        String sessionKeyId = "ASIA" + "ZZ9EXAMPLE00ABCD";
        String secret = "wJalrXUtnFEMI/K7MDENG" + "/bPxRfiCYEXAMPLEKEY";
        String account = "4815" + "16234207";
        assertThat(kinds("docs/X.md", "aws_access_key_id = " + keyId)).containsExactly("AWS access key id");
        assertThat(kinds("docs/X.md", "token " + sessionKeyId + ".")).containsExactly("AWS access key id");
        assertThat(kinds("template.yaml", "  SecretAccessKey: " + secret)).containsExactly("secret key");
        assertThat(kinds("samples/env.json", "\"AWS_SECRET_ACCESS_KEY\": \"" + secret + "\""))
                .containsExactly("secret key");
        assertThat(kinds("docs/X.md", "secret:\n    " + secret)).containsExactly("secret key");
        assertThat(kinds("template.yaml", "Role: arn:aws:iam::" + account + ":role/x"))
                .contains("account id in an ARN", "account id");
        assertThat(kinds("template.yaml", "Function: arn:aws-cn:lambda:cn-north-1:" + account + ":function:f"))
                .contains("account id in an ARN");
        assertThat(kinds("README.md", "account " + account + " in us-east-1")).containsExactly("account id");
        String java = "a/src/main/java/X.java";
        assertThat(kinds(java, "String b = \"amzn-s3-demo-faas-" + "output\";"))
                .containsExactly("bucket name in Java");
        assertThat(kinds(java, "URI g = URI.create(\"s3://amzn-s3-demo-faas-" + "gallery/gallery.json\");"))
                .contains("bucket name in Java");
        assertThat(kinds(java, "String u = \"s3://" + "my-bucket/key\";")).containsExactly("bucket name in Java");
        assertThat(kinds(java, "String a = \"arn:aws:s3:::" + "my-bucket\";")).containsExactly("bucket name in Java");
        assertThat(kinds(java, "String t = \"\"\"\n  amzn-s3-demo-faas-" + "stage\n  \"\"\";"))
                .containsExactly("bucket name in Java");

        // Lookalikes that are not findings.
        assertThat(kinds("docs/X.md", "commit 350c112afe5848f8e2c731de955b251e761e8472, the secret")).isEmpty();
        assertThat(kinds("face-recognition/src/main/face-api/SHA256SUMS",
                "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0  secret.bin")).isEmpty();
        assertThat(kinds("docs/X.md", "AKIA" + "SHORT, epoch ms 1764297210123, 0.123456789012, size 1234567890"))
                .isEmpty();
        assertThat(kinds("samples/events/x.json", "\"arn\": \"arn:aws:s3:::amzn-s3-demo-faas-input\"")).isEmpty();
        assertThat(kinds(java, "String what = \"s3://\" + bucket + \"/\" + key;")).isEmpty();
        assertThat(kinds(java, "throw new E(\"must be s3://bucket/key or a file path, got '\" + uri + \"'\");"))
                .isEmpty();
        assertThat(kinds(java, "// reads s3://amzn-s3-demo-faas-" + "gallery/gallery.json\n"
                + "/* amzn-s3-demo-faas-" + "input */ int x;"))
                .isEmpty();
        assertThat(kinds(java, "char q = '\"'; String s = \"amzn-s3-demo-faas-" + "output-1\"; String e = \"\\\"\";"))
                .isEmpty();
        // Bucket names count in Java only: the samples and docs name them on purpose.
        assertThat(kinds("docs/X.md", "aws s3 cp video.mp4 s3://amzn-s3-demo-faas-" + "input/")).isEmpty();
    }

    @Test
    void theShippedSourcesHoldNoCredentialsAccountIdsOrBucketNames() throws IOException {
        List<Path> files = shippedFiles();
        Set<String> relative = new TreeSet<>();
        files.forEach(file -> relative.add(relativeName(file)));
        // A scan that read nothing would pass: check that it read what it is meant to.
        assertThat(relative).contains("template.yaml", "README.md", "samples/env.json",
                "docker/video-splitting.Dockerfile", "docs/DEPLOY.md",
                "video-splitting/src/main/java/dev/facerec/splitter/lambda/VideoSplitter.java",
                "common/src/main/resources/log4j2.xml", "cli/src/main/java/dev/facerec/cli/LocalStackOptions.java");
        assertThat(files).hasSizeGreaterThan(80);

        List<Finding> findings = new ArrayList<>();
        for (Path file : files) {
            // ISO-8859-1 maps every byte to a character: a binary file is scanned too, never refused.
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            findings.addAll(scanner.scan(relativeName(file), text));
        }
        List<Finding> unexplained = new ArrayList<>();
        Set<Allowed> used = new java.util.HashSet<>();
        for (Finding finding : findings) {
            Allowed allowed = ALLOWED.stream().filter(entry -> entry.covers(finding)).findFirst().orElse(null);
            if (allowed == null) {
                unexplained.add(finding);
            } else {
                used.add(allowed);
            }
        }
        assertThat(unexplained).as("hard-coded credentials, account ids or bucket names in %d shipped files",
                files.size()).isEmpty();
        assertThat(ALLOWED).as("allow-list entries that no longer match anything (remove them)")
                .allMatch(used::contains);
    }

    private static List<String> kinds(String path, String text) {
        return scanner.scan(path, text).stream().map(Finding::kind).toList();
    }

    /**
     * Every {@code <module>/src/main/**} file, template.yaml, docker/*, samples/**, README.md, docs/**, and the
     * build files (pom.xml, .ci/*): what is shipped or tells a user what to run.
     */
    private static List<Path> shippedFiles() throws IOException {
        List<Path> roots = new ArrayList<>();
        try (Stream<Path> top = Files.list(ROOT)) {
            top.filter(dir -> Files.isDirectory(dir.resolve("src/main"))).forEach(dir -> {
                roots.add(dir.resolve("src/main"));
                roots.add(dir.resolve("pom.xml"));
            });
        }
        for (String path : List.of("template.yaml", "docker", "samples", "README.md", "docs", "pom.xml", ".ci")) {
            roots.add(ROOT.resolve(path));
        }
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static String relativeName(Path file) {
        return ROOT.relativize(file).toString().replace('\\', '/');
    }

    /**
     * The bucket names the project's examples use: samples/env.json's {@code *_BUCKET} values and {@code s3://}
     * URIs, every bucket named in samples/events/*.json, and the test fixtures' names.
     */
    private static Set<String> bucketNames() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<String> names = new TreeSet<>(FIXTURE_BUCKETS);
        collectBuckets(json.readTree(ROOT.resolve("samples/env.json").toFile()), null, names);
        try (Stream<Path> events = Files.list(ROOT.resolve("samples/events"))) {
            for (Path event : events.filter(file -> file.toString().endsWith(".json")).toList()) {
                collectBuckets(json.readTree(event.toFile()), null, names);
            }
        }
        names.removeIf(String::isBlank);
        assertThat(names).as("bucket names read from the samples").containsAll(FIXTURE_BUCKETS);
        return names;
    }

    private static void collectBuckets(JsonNode node, String field, Set<String> names) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = fields.next();
                if (entry.getKey().equals("name") && "bucket".equals(field) && entry.getValue().isTextual()) {
                    names.add(entry.getValue().asText());
                }
                collectBuckets(entry.getValue(), entry.getKey(), names);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collectBuckets(element, field, names));
        } else if (node.isTextual() && field != null) {
            String value = node.asText();
            if (field.toLowerCase().contains("bucket")) {
                names.add(value);
            } else if (value.startsWith("s3://")) {
                names.add(value.substring(5).split("/", 2)[0]);
            } else if (value.startsWith("arn:aws:s3:::")) {
                names.add(value.substring(13).split("/", 2)[0]);
            }
        }
    }

    record Finding(String path, int line, String lineText, String kind, String match) {
        @Override
        public String toString() {
            return path + ":" + line + ": " + kind + " '" + match + "' in: " + lineText;
        }
    }

    record Allowed(String path, String line, String reason) {
        boolean covers(Finding finding) {
            return finding.path().equals(path) && finding.lineText().equals(line);
        }
    }

    /** The patterns, applied to one file's text. */
    static final class Scanner {
        private static final Pattern ACCESS_KEY_ID =
                Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])");
        /** A 40-character base64 run (an AWS secret access key's shape), not part of a longer one. */
        private static final Pattern BASE64_40 =
                Pattern.compile("(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])");
        private static final Pattern SECRET_WORD = Pattern.compile(
                "(?i)secret|password|passwd|credential|private[_ -]?key|token|aws_?key");
        /** How far before a secret-like string a word such as "secret" still counts as its label. */
        private static final int SECRET_WORD_DISTANCE = 80;
        private static final Pattern ARN_ACCOUNT = Pattern.compile("arn:aws[-a-z]*:[a-z0-9-]*:[a-z0-9-]*:(\\d{12}):");
        /** Twelve digits alone: not part of a longer number, a decimal, a word or a hyphenated id. */
        private static final Pattern ACCOUNT = Pattern.compile("(?<![\\w.-])\\d{12}(?![\\w-]|\\.\\d)");
        /** A bucket in an S3 URI or ARN; the name "bucket" is the placeholder messages use ("s3://bucket/key"). */
        private static final Pattern BUCKET_URI =
                Pattern.compile("(?:s3://|arn:aws[-a-z]*:s3:::)([a-z0-9][a-z0-9.-]*)");
        private static final Set<String> PLACEHOLDER_BUCKETS = Set.of("bucket");

        private final List<Pattern> bucketNames = new ArrayList<>();

        Scanner(Set<String> names) {
            for (String name : names) {
                bucketNames.add(Pattern.compile("(?<![a-z0-9.-])" + Pattern.quote(name) + "(?![a-z0-9-])"));
            }
        }

        List<Finding> scan(String path, String text) {
            List<Finding> findings = new ArrayList<>();
            for (Matcher m = ACCESS_KEY_ID.matcher(text); m.find(); ) {
                findings.add(finding(path, text, m.start(), "AWS access key id", m.group()));
            }
            for (Matcher m = BASE64_40.matcher(text); m.find(); ) {
                String run = m.group();
                boolean random = run.chars().anyMatch(Character::isUpperCase)
                        && run.chars().anyMatch(Character::isLowerCase) && run.chars().anyMatch(Character::isDigit);
                if (random && labelledSecret(text, m.start(), m.end())) {
                    findings.add(finding(path, text, m.start(), "secret key", run));
                }
            }
            for (Matcher m = ARN_ACCOUNT.matcher(text); m.find(); ) {
                findings.add(finding(path, text, m.start(1), "account id in an ARN", m.group()));
            }
            for (Matcher m = ACCOUNT.matcher(text); m.find(); ) {
                findings.add(finding(path, text, m.start(), "account id", m.group()));
            }
            if (path.matches("[^/]+/src/main/java/.*\\.java")) {
                for (Literal literal : JavaLiterals.of(text)) {
                    boolean named = BUCKET_URI.matcher(literal.value()).results()
                            .anyMatch(uri -> !PLACEHOLDER_BUCKETS.contains(uri.group(1)))
                            || bucketNames.stream().anyMatch(name -> name.matcher(literal.value()).find());
                    if (named) {
                        findings.add(finding(path, text, literal.start(), "bucket name in Java", literal.value()));
                    }
                }
            }
            return findings;
        }

        private static boolean labelledSecret(String text, int start, int end) {
            int lineStart = text.lastIndexOf('\n', start - 1) + 1;
            int lineEnd = text.indexOf('\n', end);
            String before = text.substring(Math.max(0, Math.min(lineStart, start - SECRET_WORD_DISTANCE)), start);
            String sameLine = text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd);
            return SECRET_WORD.matcher(before).find() || SECRET_WORD.matcher(sameLine).find();
        }

        private static Finding finding(String path, String text, int at, String kind, String match) {
            int line = 1;
            for (int i = 0; i < at; i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            int lineStart = text.lastIndexOf('\n', at - 1) + 1;
            int lineEnd = text.indexOf('\n', at);
            String lineText = text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd).trim();
            return new Finding(path, line, lineText, kind, match);
        }
    }

    record Literal(int start, String value) {
    }

    /** The string literals and text blocks of a Java source, comments and char literals skipped. */
    static final class JavaLiterals {
        private JavaLiterals() {
        }

        static List<Literal> of(String source) {
            List<Literal> literals = new ArrayList<>();
            int i = 0;
            int n = source.length();
            while (i < n) {
                char c = source.charAt(i);
                if (source.startsWith("//", i)) {
                    int end = source.indexOf('\n', i);
                    i = end < 0 ? n : end + 1;
                } else if (source.startsWith("/*", i)) {
                    int end = source.indexOf("*/", i + 2);
                    i = end < 0 ? n : end + 2;
                } else if (source.startsWith("\"\"\"", i)) {
                    int end = closing(source, i + 3, "\"\"\"");
                    literals.add(new Literal(i, source.substring(i + 3, Math.min(end, n))));
                    i = end + 3;
                } else if (c == '"' || c == '\'') {
                    int end = closing(source, i + 1, String.valueOf(c));
                    if (c == '"') {
                        literals.add(new Literal(i, source.substring(i + 1, Math.min(end, n))));
                    }
                    i = end + 1;
                } else {
                    i++;
                }
            }
            return literals;
        }

        /** The index of the unescaped {@code quote} that closes a literal whose content starts at {@code from}. */
        private static int closing(String source, int from, String quote) {
            int i = from;
            while (i < source.length()) {
                if (source.charAt(i) == '\\') {
                    i += 2;
                } else if (source.startsWith(quote, i)) {
                    return i;
                } else {
                    i++;
                }
            }
            return source.length();
        }
    }
}
