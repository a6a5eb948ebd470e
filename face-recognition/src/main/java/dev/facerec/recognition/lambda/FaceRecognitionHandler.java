package dev.facerec.recognition.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.facerec.common.Deadline;
import dev.facerec.common.Env;
import dev.facerec.common.Json;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Lambda entry point for the stage message {@code {"bucket_name": ..., "image_file_name": ...}} sent by
 * video-splitting. A thin adapter: the work is in {@link FaceRecognitionService}.
 */
public final class FaceRecognitionHandler implements RequestHandler<Map<String, Object>, Void> {
    private final FaceRecognitionService service;

    public FaceRecognitionHandler() {
        // Lambda makes one handler per container: this runs once, at init. A bad setting fails the init with a
        // message that names the variable.
        this(FaceRecognitionService.fromEnvironment(Env.system()));
    }

    public FaceRecognitionHandler(FaceRecognitionService service) {
        this.service = service;
    }

    @Override
    public Void handleRequest(Map<String, Object> event, Context context) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // Lambda's runtime made the map from JSON
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("requestId", context == null ? null
                : context.getAwsRequestId())) {
            service.process(json, context == null ? Deadline.none()
                    : Deadline.ofRemaining(Duration.ofMillis(context.getRemainingTimeInMillis())));
        }
        return null;
    }
}
