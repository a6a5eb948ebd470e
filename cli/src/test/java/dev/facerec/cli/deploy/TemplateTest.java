package dev.facerec.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.facerec.common.Env;
import dev.facerec.common.aws.OutcomeWriter;
import dev.facerec.common.metrics.EmfMetrics;
import dev.facerec.common.testing.SharedData;
import dev.facerec.recognition.lambda.RecognitionConfig;
import dev.facerec.splitter.lambda.SplitterConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * template.yaml against the code it deploys: the handlers the images run, the variables the configuration reads, the
 * IAM each function gets, the trigger, the asynchronous failure path; and samples/env.json against the template.
 */
class TemplateTest {
    private static final Path ROOT = SharedData.projectRoot();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";

    /** Each function's configuration entry point, to check that the sample environment is one it accepts. */
    private static final Map<String, Consumer<Env>> CONFIGURATIONS = Map.of(
            "VideoSplittingFunction", SplitterConfig::from,
            "FaceRecognitionFunction", RecognitionConfig::from);

    private static final Pattern CMD = Pattern.compile("^CMD\\s*\\[\\s*\"([\\w.$]+)::(\\w+)\"\\s*]\\s*$",
            Pattern.MULTILINE);
    private static final Pattern ENV_CALL = Pattern.compile("\\benv\\s*\\.\\s*\\w+\\s*\\(");
    private static final Pattern ENV_READ = Pattern.compile("\\benv\\s*\\.\\s*\\w+\\s*\\(\\s*\"([A-Z][A-Z0-9_]*)\"");
    /** A whole number without leading zero of at most N+1 digits, as the integer parameters' pattern says it. */
    private static final Pattern DIGITS_PATTERN = Pattern.compile("\\^\\[1-9]\\[0-9]\\{0,(\\d+)}\\$");
    private static final Pattern COPY = Pattern.compile("^COPY\\s+(\\S+)\\s+\\S+\\s*$", Pattern.MULTILINE);
    private static final Pattern SUB_REFERENCE = Pattern.compile("\\$\\{(\\w+)(?:\\.\\w+)?}");

    private static JsonNode template;

    @BeforeAll
    static void readTemplate() throws IOException {
        template = readCloudFormationYaml(ROOT.resolve("template.yaml"));
    }

    @Test
    void cfnLintAcceptsTheTemplate(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("cfn-lint.txt");
        Process lint = startCfnLint(log);
        if (!lint.waitFor(3, TimeUnit.MINUTES)) {
            lint.destroyForcibly();
            Assertions.fail("cfn-lint template.yaml did not finish within 3 minutes");
        }
        assertThat(lint.exitValue()).as("cfn-lint template.yaml said:%n%s", Files.readString(log)).isZero();
    }

    @Test
    void eachFunctionRunsAHandlerThatItsImageNames() throws Exception {
        assertThat(functions()).containsOnlyKeys(CONFIGURATIONS.keySet());
        for (Map.Entry<String, JsonNode> function : functions().entrySet()) {
            JsonNode resource = function.getValue();
            assertThat(resource.at("/Properties/PackageType").asText()).as(function.getKey()).isEqualTo("Image");
            assertThat(resource.at("/Metadata/DockerContext").asText()).as(function.getKey()).isEqualTo(".");
            String[] handler = handler(function.getKey()).split("::");

            // Loaded, not initialised: initialising a handler would build its AWS clients from this environment.
            Class<?> type = Class.forName(handler[0], false, getClass().getClassLoader());
            assertThat(RequestHandler.class).as(handler[0]).isAssignableFrom(type);
            assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).as(handler[0]).isTrue();
            assertThat(Stream.of(type.getMethods()).filter(m -> m.getName().equals(handler[1]) && !m.isBridge()))
                    .as("%s.%s(event, Context)", handler[0], handler[1])
                    .extracting(Method::getParameterTypes)
                    .anySatisfy(parameters -> assertThat(parameters).hasSize(2).endsWith(Context.class));
        }
    }

    @Test
    void eachFunctionIsGivenExactlyTheVariablesItsCodeReads() throws IOException {
        // And the per-service endpoints that AwsSettings reads for every function, declared blank for sam local.
        Set<String> endpoints = ENV_READ.matcher(Files.readString(ROOT.resolve(
                        "common/src/main/java/dev/facerec/common/aws/AwsSettings.java"))).results()
                .map(m -> m.group(1)).filter(name -> name.startsWith("AWS_ENDPOINT_URL_"))
                .collect(Collectors.toSet());
        assertThat(endpoints).containsExactlyInAnyOrder("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_LAMBDA");
        // And the metrics' settings, which EmfMetrics reads for both functions.
        Set<String> metrics = ENV_READ.matcher(Files.readString(ROOT.resolve(
                        "common/src/main/java/dev/facerec/common/metrics/EmfMetrics.java"))).results()
                .map(m -> m.group(1)).collect(Collectors.toSet());
        assertThat(metrics).containsExactlyInAnyOrder("METRICS_NAMESPACE", "METRICS_SERVICE");
        for (String function : functions().keySet()) {
            Set<String> read = new TreeSet<>(variablesReadBy(handler(function).split("::")[0]));
            read.addAll(endpoints);
            read.addAll(metrics);
            assertThat(fieldNames(variables(function))).as(function).containsExactlyInAnyOrderElementsOf(read);
            endpoints.forEach(name -> assertThat(variables(function).path(name).asText("unset")).as(name).isEmpty());
        }
    }

    @Test
    void noStatementGrantsEveryActionOrEveryResource() {
        for (String function : functions().keySet()) {
            // Only inline statements: a managed policy or a SAM policy template would hide what is granted.
            assertThat(functions().get(function).at("/Properties/Policies")).as(function)
                    .isNotEmpty().allSatisfy(policy -> assertThat(policy.has("Statement")).isTrue());
            for (JsonNode statement : statements(function)) {
                assertThat(statement.has("NotAction") || statement.has("NotResource")).as(function).isFalse();
                assertThat(strings(statement.get("Action"))).as(function).noneMatch(action -> action.contains("*"));
                assertThat(strings(statement.get("Resource"))).as(function).doesNotContain("*");
            }
        }
    }

    @Test
    void theSplitterMayInvokeOnlyTheRecogniserItIsConfiguredToCall() {
        JsonNode recogniserArn = intrinsic("Fn::GetAtt", NODES.arrayNode().add("FaceRecognitionFunction").add("Arn"));
        assertThat(variables("VideoSplittingFunction").get("FACE_RECOGNITION_FUNCTION"))
                .isIn(recogniserArn, intrinsic("Ref", NODES.textNode("FaceRecognitionFunction")));

        assertThat(grantsOf("VideoSplittingFunction", "lambda:")).hasSize(1).allSatisfy(statement -> {
            assertThat(strings(statement.get("Action"))).containsExactly("lambda:InvokeFunction");
            assertThat(statement.get("Resource")).isEqualTo(recogniserArn);
        });
        assertThat(grantsOf("FaceRecognitionFunction", "lambda:")).isEmpty();
    }

    @Test
    void onlyTheBucketTheSplitterReadsTriggersItAndNoFunctionWritesThere() {
        Map<String, JsonNode> s3Events = new TreeMap<>();
        functions().forEach((function, resource) -> resource.at("/Properties/Events").properties().forEach(event -> {
            if (event.getValue().path("Type").asText().equals("S3")) {
                s3Events.put(function + "." + event.getKey(), event.getValue().get("Properties"));
            }
        }));
        assertThat(s3Events).hasSize(1);
        Map.Entry<String, JsonNode> trigger = s3Events.entrySet().iterator().next();
        assertThat(trigger.getKey()).startsWith("VideoSplittingFunction.");
        assertThat(strings(trigger.getValue().get("Events"))).allMatch(event -> event.startsWith("s3:ObjectCreated:"));

        String bucket = trigger.getValue().at("/Bucket/Ref").asText();
        assertThat(template.at("/Resources/" + bucket + "/Type").asText()).isEqualTo("AWS::S3::Bucket");
        // The policy names the bucket by the same expression as the bucket's name (a !Ref would be circular).
        JsonNode bucketName = template.at("/Resources/" + bucket + "/Properties/BucketName");
        assertThat(grantsOf("VideoSplittingFunction", "s3:GetObject"))
                .anySatisfy(statement -> assertThat(contains(statement.get("Resource"), bucketName)).isTrue());
        assertThat(variables("VideoSplittingFunction").get("INPUT_BUCKET"))
                .as("the splitter is told which bucket its events come from").isEqualTo(bucketName);

        for (String function : functions().keySet()) {
            assertThat(referencedIds(variables(function))).as(function + " is configured with the trigger bucket")
                    .doesNotContain(bucket);
            assertThat(grantsOf(function, "s3:PutObject")).as(function + " writes to the trigger bucket")
                    .noneMatch(statement -> contains(statement.get("Resource"), bucketName)
                            || referencedIds(statement.get("Resource")).contains(bucket));
        }
    }

    @Test
    void eachFunctionMayListEveryBucketItReadsSoThatAMissingKeyIsA404() {
        // S3 answers 403 for a missing key to a caller without ListBucket: "not found" errors and the redelivery
        // checks (is the frame or the outcome already there?) depend on the 404.
        JsonNode inputBucketName = template.at("/Resources/InputBucket/Properties/BucketName");
        for (String function : functions().keySet()) {
            List<JsonNode> listed = grantsOf(function, "s3:ListBucket").stream().map(s -> s.get("Resource")).toList();
            assertThat(listed).as(function + " lists buckets, not keys")
                    .allSatisfy(resource -> assertThat(strings(resource)).noneMatch(r -> r.contains("/")));
            for (JsonNode read : grantsOf(function, "s3:GetObject")) {
                for (String bucket : referencedIds(read.get("Resource"))) {
                    if (template.at("/Resources/" + bucket + "/Type").asText().equals("AWS::S3::Bucket")) {
                        assertThat(listed).as(function + " may list " + bucket)
                                .anySatisfy(resource -> assertThat(referencedIds(resource)).contains(bucket));
                    }
                }
                if (contains(read.get("Resource"), inputBucketName)) {
                    assertThat(listed).as(function + " may list the input bucket")
                            .anySatisfy(resource -> assertThat(contains(resource, inputBucketName)).isTrue());
                }
            }
        }
    }

    @Test
    void bothFunctionsSendFailedAsyncEventsToAnEncryptedQueue() {
        for (String function : functions().keySet()) {
            JsonNode config = property(function, "EventInvokeConfig");
            assertThat(config.path("MaximumRetryAttempts").isInt()).as(function).isTrue();
            assertThat(config.path("MaximumEventAgeInSeconds").isInt()).as(function).isTrue();
            JsonNode onFailure = config.at("/DestinationConfig/OnFailure");
            assertThat(onFailure.path("Type").asText()).as(function).isEqualTo("SQS");

            Set<String> destination = referencedIds(onFailure.get("Destination"));
            assertThat(destination).as(function).hasSize(1);
            JsonNode queue = template.at("/Resources/" + destination.iterator().next());
            assertThat(queue.path("Type").asText()).isEqualTo("AWS::SQS::Queue");
            assertThat(queue.at("/Properties/SqsManagedSseEnabled").asBoolean()
                    || queue.at("/Properties/KmsMasterKeyId").isValueNode()).as("queue encrypted").isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"samples/env.json", "samples/env.faas-local.json"})
    void samplesEnvNamesTheTemplatesVariablesWithValuesTheCodeAccepts(String file) throws IOException {
        JsonNode samples = new ObjectMapper().readTree(ROOT.resolve(file).toFile());
        assertThat(fieldNames(samples)).containsExactlyInAnyOrderElementsOf(functions().keySet());
        for (String function : functions().keySet()) {
            Map<String, String> sample = new TreeMap<>();
            samples.get(function).properties().forEach(entry -> sample.put(entry.getKey(), entry.getValue().asText()));
            assertThat(sample.keySet()).as(function)
                    .containsExactlyInAnyOrderElementsOf(fieldNames(variables(function)));
            assertThatCode(() -> CONFIGURATIONS.get(function).accept(new Env(sample))).as(function)
                    .doesNotThrowAnyException();
        }
    }

    /**
     * An operator hears of trouble: an alarm when anything waits in the failure queue, and on each function's errors
     * and throttles, each sent to the e-mail topic when an address is given (the topic exists only then).
     */
    /**
     * Both functions run on the machine the Architecture parameter names, x86_64 or arm64, the two the build makes
     * natives for (pom.xml's arm64 profile; the Dockerfiles pick it from TARGETARCH).
     */
    @Test
    void bothFunctionsRunOnTheArchitectureTheParameterNamesOneTheBuildHasNativesFor() {
        JsonNode parameter = template.at("/Parameters/Architecture");
        assertThat(parameter.path("Default").asText()).isEqualTo("x86_64");
        assertThat(parameter.path("AllowedValues")).containsExactlyInAnyOrder(NODES.textNode("x86_64"),
                NODES.textNode("arm64"));
        for (String function : functions().keySet()) {
            assertThat(property(function, "Architectures")).as(function)
                    .isEqualTo(NODES.arrayNode().add(intrinsic("Ref", NODES.textNode("Architecture"))));
        }
    }

    @Test
    void alarmsWatchTheFailureQueueAndEachFunctionsErrorsAndThrottles() {
        Map<String, JsonNode> alarms = resourcesOfType("AWS::CloudWatch::Alarm");
        JsonNode toTopic = intrinsic("Fn::If", NODES.arrayNode().add("NotifyByEmail")
                .add(NODES.arrayNode().add(intrinsic("Ref", NODES.textNode("AlarmTopic"))))
                .add(intrinsic("Ref", NODES.textNode("AWS::NoValue"))));
        List<String> watched = new ArrayList<>();
        alarms.forEach((id, alarm) -> {
            JsonNode properties = alarm.get("Properties");
            assertThat(properties.get("ComparisonOperator").asText()).as(id).isEqualTo("GreaterThanThreshold");
            assertThat(properties.get("Threshold").asDouble()).as(id).isZero();
            assertThat(properties.get("TreatMissingData").asText()).as(id).isEqualTo("notBreaching");
            assertThat(properties.get("AlarmActions")).as(id).isEqualTo(toTopic);
            JsonNode dimension = properties.at("/Dimensions/0/Value");
            String subject = dimension.has("Ref") ? dimension.get("Ref").asText()
                    : dimension.at("/Fn::GetAtt/0").asText();
            watched.add(subject + " " + properties.get("Namespace").asText() + "/"
                    + properties.get("MetricName").asText());
        });
        List<String> expected = new ArrayList<>(List.of("FailureQueue AWS/SQS/ApproximateNumberOfMessagesVisible"));
        for (String function : functions().keySet()) {
            expected.add(function + " AWS/Lambda/Errors");
            expected.add(function + " AWS/Lambda/Throttles");
        }
        assertThat(watched).containsExactlyInAnyOrderElementsOf(expected);

        assertThat(template.at("/Parameters/AlarmEmail/Default").asText()).isEmpty();
        for (String topicPart : List.of("AlarmTopic", "AlarmEmailSubscription")) {
            assertThat(template.at("/Resources/" + topicPart + "/Condition").asText()).isEqualTo("NotifyByEmail");
        }
        assertThat(template.at("/Resources/AlarmEmailSubscription/Properties/Endpoint"))
                .isEqualTo(intrinsic("Ref", NODES.textNode("AlarmEmail")));
        String dashboard = template.at("/Resources/Dashboard/Properties/DashboardBody/Fn::Sub").asText();
        assertThat(dashboard).contains("${FailureQueue.QueueName}");
        functions().keySet().forEach(function -> assertThat(dashboard).contains("${" + function + "}"));
    }

    /**
     * Both functions' metrics go to one namespace, which the functions accept and the dashboard shows, with the stack
     * as the Service dimension; so do the samples' (metrics are on wherever sam local runs a function).
     */
    @Test
    void bothFunctionsWriteMetricsToTheNamespaceTheDashboardShows() throws IOException {
        JsonNode globals = template.at("/Globals/Function/Environment/Variables");
        String namespace = globals.path("METRICS_NAMESPACE").asText();
        assertThat(globals.get("METRICS_SERVICE")).isEqualTo(intrinsic("Ref", NODES.textNode("AWS::StackName")));
        String dashboard = template.at("/Resources/Dashboard/Properties/DashboardBody/Fn::Sub").asText();
        assertThat(dashboard).contains("[\"" + namespace + "\", \"Outcomes\", \"Service\", \"${AWS::StackName}\"");
        for (String file : List.of("samples/env.json", "samples/env.faas-local.json")) {
            JsonNode samples = new ObjectMapper().readTree(ROOT.resolve(file).toFile());
            for (String function : functions().keySet()) {
                Map<String, String> sample = new TreeMap<>();
                samples.get(function).properties().forEach(e -> sample.put(e.getKey(), e.getValue().asText()));
                assertThat(sample).as(file).containsEntry("METRICS_NAMESPACE", namespace);
                assertThat(EmfMetrics.fromEnvironment(new Env(sample), function)).as(file + " " + function)
                        .extracting("namespace").isEqualTo(namespace);
            }
        }
    }

    /**
     * Frames (pictures of people) expire after FrameRetentionDays, 7 by default; the outcome records may expire by
     * the tag the code gives them, while the names stay.
     */
    @Test
    void framesExpireAndOutcomeRecordsMayExpireByTheTagTheCodeGivesThem() {
        JsonNode frames = template.at("/Resources/StageBucket/Properties/LifecycleConfiguration/Rules");
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).get("ExpirationInDays")).isEqualTo(intrinsic("Ref",
                NODES.textNode("FrameRetentionDays")));
        assertThat(frames.get(0).has("Prefix") || frames.get(0).has("TagFilters")).as("every frame").isFalse();
        assertThat(template.at("/Parameters/FrameRetentionDays/Default").asInt()).isEqualTo(7);

        JsonNode records = template.at("/Resources/OutputBucket/Properties/LifecycleConfiguration/Fn::If");
        assertThat(records.get(0).asText()).isEqualTo("OutcomeRecordsExpire");
        JsonNode rule = records.at("/1/Rules/0");
        assertThat(rule.get("ExpirationInDays")).isEqualTo(intrinsic("Ref",
                NODES.textNode("OutcomeRecordRetentionDays")));
        String[] tag = OutcomeWriter.RECORD_TAG.split("=");
        assertThat(rule.get("TagFilters")).hasSize(1);
        assertThat(rule.at("/TagFilters/0/Key").asText()).isEqualTo(tag[0]);
        assertThat(rule.at("/TagFilters/0/Value").asText()).isEqualTo(tag[1]);
        assertThat(template.at("/Parameters/OutcomeRecordRetentionDays/Default").asInt()).as("kept unless told")
                .isZero();
        // Writing a tagged object needs s3:PutObjectTagging: whoever writes outcomes has it.
        for (String function : functions().keySet()) {
            assertThat(grantsOf(function, "s3:PutObject")).as(function)
                    .filteredOn(s -> s.get("Resource").toString().contains("OutputBucket.Arn"))
                    .singleElement().satisfies(s -> assertThat(strings(s.get("Action"))).contains("s3:PutObjectTagging"));
        }
    }

    private static Map<String, JsonNode> resourcesOfType(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        template.get("Resources").properties().forEach(resource -> {
            if (resource.getValue().path("Type").asText().equals(type)) {
                found.put(resource.getKey(), resource.getValue());
            }
        });
        return found;
    }

    /** Logs in JSON, in a log group the stack owns, which expires and goes with the stack. */
    @Test
    void eachFunctionLogsJsonToAStackOwnedLogGroupThatExpires() {
        for (String function : functions().keySet()) {
            JsonNode logging = property(function, "LoggingConfig");
            assertThat(logging.path("LogFormat").asText()).as(function).isEqualTo("JSON");
            Set<String> group = referencedIds(logging.get("LogGroup"));
            assertThat(group).as(function).hasSize(1);
            JsonNode resource = template.at("/Resources/" + group.iterator().next());
            assertThat(resource.path("Type").asText()).isEqualTo("AWS::Logs::LogGroup");
            assertThat(resource.at("/Properties/RetentionInDays").isMissingNode()).as("retention of " + function)
                    .isFalse();
        }
    }

    /**
     * Each image builds its jars with Maven by default (plain {@code sam build}), or takes them from a build outside
     * ({@code JARS=target}). What the second way copies exists once the modules are packaged (the cli module's tests
     * run after them), is named exactly (a pattern would take the tests jar too), passes .dockerignore, and
     * target/lib holds one version of each artifact (copy-dependencies only adds: after a version bump, the images
     * are built after {@code ./mvnw clean}). The rehearsal builds both ways.
     */
    @Test
    void eachImageCopiesExactlyItsJarsWhichTheBuildMadeAndTheContextSends() throws IOException {
        List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(ignore).as(".dockerignore: everything out, then the copied paths back in").startsWith("**");
        // The builder stage runs Maven on the whole reactor: every module's POM and sources must reach it.
        List<String> modules = Pattern.compile("<module>([^<]+)</module>").matcher(
                Files.readString(ROOT.resolve("pom.xml"))).results().map(m -> m.group(1)).toList();
        assertThat(modules).isNotEmpty();
        for (String module : modules) {
            assertThat(ignore).as(".dockerignore sends module " + module).contains("!" + module + "/pom.xml",
                    "!" + module + "/src/");
        }
        assertThat(ignore).contains("!pom.xml", "!mvnw", "!.mvn/");
        for (String function : functions().keySet()) {
            Path dockerfile = ROOT.resolve(functions().get(function).at("/Metadata/Dockerfile").asText());
            assertThat(Files.readString(dockerfile)).as(dockerfile.toString())
                    .contains("ARG BASE_IMAGE=public.ecr.aws/lambda/java:21", "FROM ${BASE_IMAGE}", "ARG JARS=maven",
                            "FROM ${JARS} AS jars", "FROM --platform=${BUILDPLATFORM} ${BUILDER_IMAGE} AS maven", "COPY . .",
                            // An arm64 image (TARGETARCH from the template's Architecture) gets the arm64 natives.
                            "if [ \"$TARGETARCH\" = arm64 ]; then profile=-Parm64; out=$out/arm64; fi",
                            // docker/<module>.Dockerfile builds <module> and what it needs, from clean.
                            " -pl " + dockerfile.getFileName().toString().replace(".Dockerfile", "")
                                    + " -am clean package", "ENTRYPOINT [\"/opt/faas/lambda-java.sh\"]",
                            "/opt/faas/lambda-java.sh --train " + handler(function));
            String module = dockerfile.getFileName().toString().replace(".Dockerfile", "");
            // JARS_DIR is the x86_64 build's target by default; the arm64 build's is target/arm64 (pom.xml's profile).
            String jarsDir = module + "/target";
            assertThat(Files.readString(dockerfile)).contains("ARG JARS_DIR=" + jarsDir);
            List<String> sources = COPY.matcher(Files.readString(dockerfile)).results().map(m -> m.group(1))
                    .filter(source -> !source.equals(".")).map(source -> source.replace("${JARS_DIR}", jarsDir))
                    .toList();
            assertThat(ignore).as(".dockerignore lets the arm64 jars through")
                    .contains("!" + jarsDir + "/arm64/lib/", "!" + jarsDir + "/arm64/" + module + ".jar");
            assertThat(sources).as("COPY lines of " + dockerfile + " besides the builder's context")
                    .containsExactlyInAnyOrder(module + "/target/lib/", module + "/target/" + module + ".jar",
                            "docker/lambda-java.sh");
            for (String source : sources) {
                assertThat(source).as(source).doesNotContain("*");
                assertThat(ROOT.resolve(source)).as("%s, copied by %s", source, dockerfile).exists();
                assertThat(ignore).as(".dockerignore lets %s through", source).contains("!" + source);
                if (source.endsWith("/lib/")) {
                    List<String> artifacts;
                    try (Stream<Path> jars = Files.list(ROOT.resolve(source))) {
                        // <artifact>-<version>[-<classifier>].jar: the artifact and classifier, without the version.
                        artifacts = jars.map(jar -> jar.getFileName().toString()
                                .replaceAll("^(.*?)-\\d[^-]*(?:-(.*))?\\.jar$", "$1:$2")).toList();
                    }
                    assertThat(artifacts).as("one version of each jar in %s (a version changed since the last build: "
                            + "./mvnw clean package)", source).doesNotHaveDuplicates();
                }
            }
        }
    }

    /**
     * Every value a parameter given to a function's variable allows at its edges (its default, its allowed values,
     * its minimum and maximum, the longest and shortest its pattern allows of digits) is one the function's
     * configuration accepts at init: a deploy the template allows must not give a function that cannot start.
     */
    @Test
    void everyParameterAllowsOnlyValuesTheFunctionsAccept() throws IOException {
        JsonNode samples = new ObjectMapper().readTree(ROOT.resolve("samples/env.json").toFile());
        int checked = 0;
        for (String function : functions().keySet()) {
            for (Map.Entry<String, JsonNode> variable : variables(function).properties()) {
                JsonNode ref = variable.getValue().get("Ref");
                JsonNode parameter = ref == null ? null : template.at("/Parameters/" + ref.asText());
                if (parameter == null || parameter.isMissingNode()) {
                    continue;
                }
                for (String value : edges(parameter)) {
                    Map<String, String> env = new TreeMap<>();
                    samples.get(function).properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
                    env.put(variable.getKey(), value);
                    assertThatCode(() -> CONFIGURATIONS.get(function).accept(new Env(env)))
                            .as("%s: parameter %s = '%s' (variable %s)", function, ref.asText(), value, variable.getKey())
                            .doesNotThrowAnyException();
                    checked++;
                }
                if (parameter.has("MinValue") || parameter.has("MaxValue") || parameter.has("AllowedPattern")) {
                    assertThat(parameter.path("ConstraintDescription").asText()).as(ref.asText()).isNotBlank();
                }
            }
        }
        assertThat(checked).isGreaterThan(10);
    }

    /** A parameter's edge values: default, allowed values, min and max; for a digits pattern, its shortest and longest. */
    private static List<String> edges(JsonNode parameter) {
        List<String> edges = new ArrayList<>();
        if (parameter.has("Default")) {
            edges.add(parameter.get("Default").asText());
        }
        parameter.path("AllowedValues").forEach(v -> edges.add(v.asText()));
        for (String bound : List.of("MinValue", "MaxValue")) {
            if (parameter.has(bound)) {
                edges.add(parameter.get(bound).asText());
            }
        }
        assertThat(parameter.path("Type").asText().equals("Number") && !parameter.has("MaxValue"))
                .as("a Number parameter without MaxValue: %s", parameter).isFalse();
        Matcher digits = DIGITS_PATTERN.matcher(parameter.path("AllowedPattern").asText());
        if (digits.matches()) {
            int most = Integer.parseInt(digits.group(1)) + 1;
            edges.add("1");
            edges.add("9".repeat(most));
        }
        return edges.stream().filter(v -> !v.isEmpty()).toList();
    }

    private static Process startCfnLint(Path log) {
        try {
            return new ProcessBuilder("cfn-lint", "template.yaml").directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException notOnPath) {
            String message = "cfn-lint is not installed (pip install cfn-lint), so template.yaml was not linted: "
                    + notOnPath.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                return Assertions.fail(message);
            }
            return Assumptions.abort(message);
        }
    }

    /**
     * The variables the code of {@code handler}'s module reads through {@link Env}, found in its sources: every
     * {@code env.x("NAME")} call. Env copies the map it is given, so a recording map cannot see what is asked for.
     * The common module is not scanned: it reads only AWS_* variables, which Lambda sets, and EmfMetrics' METRICS_*,
     * which the caller adds for every function.
     */
    private static Set<String> variablesReadBy(String handler) throws IOException {
        Path handlerSource = Path.of("src/main/java", handler.replace('.', '/') + ".java");
        List<Path> modules;
        try (Stream<Path> dirs = Files.list(ROOT)) {
            modules = dirs.filter(dir -> Files.isRegularFile(dir.resolve(handlerSource))).toList();
        }
        assertThat(modules).as("module holding " + handlerSource).hasSize(1);
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(modules.get(0).resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                List<String> read = ENV_READ.matcher(source).results().map(m -> m.group(1)).toList();
                // A name passed any other way (a constant, System.getenv) would escape this scan.
                assertThat(ENV_CALL.matcher(source).results().count()).as("env calls with a literal name in " + file)
                        .isEqualTo(read.size());
                assertThat(source).as(file.toString()).doesNotContain("System.getenv");
                names.addAll(read);
            }
        }
        assertThat(names).as("variables read by " + handler).isNotEmpty();
        return names;
    }

    /** {@code class::method} from the CMD of the function's Dockerfile. */
    private static String handler(String function) throws IOException {
        Path dockerfile = ROOT.resolve(functions().get(function).at("/Metadata/Dockerfile").asText());
        List<MatchResult> commands = CMD.matcher(Files.readString(dockerfile)).results().toList();
        assertThat(commands).as("CMD [\"class::method\"] in " + dockerfile).hasSize(1);
        return commands.get(0).group(1) + "::" + commands.get(0).group(2);
    }

    private static Map<String, JsonNode> functions() {
        Map<String, JsonNode> functions = new LinkedHashMap<>();
        template.get("Resources").properties().forEach(resource -> {
            if (resource.getValue().path("Type").asText().equals(SERVERLESS_FUNCTION)) {
                functions.put(resource.getKey(), resource.getValue());
            }
        });
        return functions;
    }

    /** A function's property, or the one it takes from Globals. */
    private static JsonNode property(String function, String name) {
        JsonNode own = functions().get(function).at("/Properties/" + name);
        return own.isMissingNode() ? template.at("/Globals/Function/" + name) : own;
    }

    /** The function's variables merged over those in Globals, as SAM merges them. */
    private static JsonNode variables(String function) {
        ObjectNode merged = NODES.objectNode();
        merged.setAll((ObjectNode) template.at("/Globals/Function/Environment/Variables"));
        merged.setAll((ObjectNode) functions().get(function).at("/Properties/Environment/Variables"));
        return merged;
    }

    private static List<JsonNode> statements(String function) {
        List<JsonNode> statements = new ArrayList<>();
        for (JsonNode policy : functions().get(function).at("/Properties/Policies")) {
            JsonNode statement = policy.path("Statement");
            if (statement.isArray()) {
                statement.forEach(statements::add);
            } else if (statement.isObject()) {
                statements.add(statement);
            }
        }
        return statements;
    }

    /** The function's statements that allow an action starting with {@code actionPrefix}. */
    private static List<JsonNode> grantsOf(String function, String actionPrefix) {
        return statements(function).stream()
                .filter(s -> s.path("Effect").asText().equals("Allow"))
                .filter(s -> strings(s.get("Action")).stream().anyMatch(a -> a.startsWith(actionPrefix)))
                .toList();
    }

    private static List<String> strings(JsonNode node) {
        List<String> strings = new ArrayList<>();
        if (node == null) {
            return strings;
        }
        if (node.isTextual()) {
            strings.add(node.asText());
        }
        node.forEach(child -> strings.addAll(strings(child)));
        return strings;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static boolean contains(JsonNode tree, JsonNode needle) {
        if (tree == null) {
            return false;
        }
        if (tree.equals(needle)) {
            return true;
        }
        for (JsonNode child : tree) {
            if (contains(child, needle)) {
                return true;
            }
        }
        return false;
    }

    /** Logical ids named by Ref, Fn::GetAtt or a ${Id} / ${Id.Attribute} inside Fn::Sub, at any depth. */
    private static Set<String> referencedIds(JsonNode node) {
        Set<String> ids = new TreeSet<>();
        if (node == null) {
            return ids;
        }
        if (node.has("Ref")) {
            ids.add(node.get("Ref").asText());
        }
        if (node.has("Fn::GetAtt")) {
            ids.add(node.get("Fn::GetAtt").path(0).asText());
        }
        if (node.has("Fn::Sub")) {
            JsonNode sub = node.get("Fn::Sub");
            SUB_REFERENCE.matcher((sub.isArray() ? sub.get(0) : sub).asText()).results()
                    .forEach(m -> ids.add(m.group(1)));
        }
        node.forEach(child -> ids.addAll(referencedIds(child)));
        return ids;
    }

    private static JsonNode intrinsic(String function, JsonNode argument) {
        return NODES.objectNode().set(function, argument);
    }

    /**
     * Reads CloudFormation YAML into the JSON form CloudFormation itself uses: the short-form tags become their
     * long forms ({@code !Ref X} {"Ref": "X"}, {@code !GetAtt A.B} {"Fn::GetAtt": ["A", "B"]}, {@code !Sub s}
     * {"Fn::Sub": "s"}). Jackson's tree reader would drop the tags, making {@code !Ref X} the plain string "X".
     */
    static JsonNode readCloudFormationYaml(Path file) throws IOException {
        try (YAMLParser parser = new YAMLMapper().getFactory().createParser(file.toFile())) {
            parser.nextToken();
            return readTagged(parser);
        }
    }

    private static JsonNode readTagged(YAMLParser parser) throws IOException {
        String tag = parser.getTypeId(); // the tag of the value the parser stands on, before it moves on
        JsonNode value;
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            ObjectNode object = NODES.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                object.set(name, readTagged(parser));
            }
            value = object;
        } else if (parser.currentToken() == JsonToken.START_ARRAY) {
            ArrayNode array = NODES.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(readTagged(parser));
            }
            value = array;
        } else {
            value = parser.readValueAsTree();
        }
        if (tag == null || tag.contains(":")) { // untagged, or a YAML core tag such as !!str
            return value;
        }
        if (tag.equals("GetAtt") && value.isTextual()) {
            String[] parts = value.asText().split("\\.", 2);
            value = NODES.arrayNode().add(parts[0]).add(parts[1]);
        }
        return intrinsic(tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag, value);
    }
}
