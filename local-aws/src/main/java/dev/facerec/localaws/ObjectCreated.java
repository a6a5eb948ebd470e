package dev.facerec.localaws;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.facerec.common.Json;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** An object written to a bucket, as S3's {@code ObjectCreated:*} notification tells it. */
public record ObjectCreated(String eventName, String bucket, String key, long size, String eTag, String sequencer,
                            String sourceIp, Instant time) {

    private static final PojoSerializer<S3Event> EVENTS =
            LambdaEventSerializers.serializerFor(S3Event.class, ObjectCreated.class.getClassLoader());

    /**
     * The notification JSON S3 sends, read with Lambda's own event serialisation: the handler gets the object the
     * Java runtime would give it, key encoding and all.
     */
    public S3Event toS3Event(String region) {
        return EVENTS.fromJson(toNotificationJson(region));
    }

    /** The notification as S3 sends it to Lambda: the JSON an execution environment receives. */
    public String toNotificationJson(String region) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", encodeKey(key));
        object.put("size", size);
        object.put("eTag", eTag);
        object.put("sequencer", sequencer);
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "faas-local");
        s3.put("bucket", Map.of("name", bucket, "arn", "arn:aws:s3:::" + bucket));
        s3.put("object", object);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", time.toString());
        record.put("eventName", eventName);
        record.put("requestParameters", Map.of("sourceIPAddress", sourceIp));
        record.put("s3", s3);
        try {
            return Json.MAPPER.writeValueAsString(Map.of("Records", List.of(record)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** S3 writes keys form-encoded (a space is '+') and keeps the slashes. */
    static String encodeKey(String key) {
        return Arrays.stream(key.split("/", -1)).map(part -> URLEncoder.encode(part, StandardCharsets.UTF_8))
                .collect(Collectors.joining("/"));
    }
}
