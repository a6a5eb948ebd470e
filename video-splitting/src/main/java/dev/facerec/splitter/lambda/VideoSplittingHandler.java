package dev.facerec.splitter.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import dev.facerec.common.Deadline;
import dev.facerec.common.Env;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Lambda entry point for S3 {@code ObjectCreated} events on the input bucket: every record is one video. A thin
 * adapter: each record is checked ({@link UploadRecord}; one that is not an upload or is malformed is logged and
 * skipped), and the work is in {@link VideoSplitter}.
 */
public final class VideoSplittingHandler implements RequestHandler<S3Event, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(VideoSplittingHandler.class);

    private final VideoSplitter splitter;

    public VideoSplittingHandler() {
        // Lambda makes one handler per container: this runs once, at init. A bad setting fails the init with a
        // message that names the variable.
        this(VideoSplitter.fromEnvironment(Env.system()));
    }

    public VideoSplittingHandler(VideoSplitter splitter) {
        this.splitter = splitter;
    }

    @Override
    public Void handleRequest(S3Event event, Context context) {
        List<S3EventNotificationRecord> records = event == null ? null : event.getRecords();
        if (records == null || records.isEmpty()) {
            // S3 sends an s3:TestEvent (no records) when a notification is configured.
            LOG.info("event without records ignored (s3:TestEvent or empty)");
            return null;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("requestId", context == null ? null
                : context.getAwsRequestId())) {
            // One deadline for all records: they share the invocation's time.
            Deadline deadline = context == null ? Deadline.none()
                    : Deadline.ofRemaining(Duration.ofMillis(context.getRemainingTimeInMillis()));
            for (int i = 0; i < records.size(); i++) {
                UploadRecord upload;
                try {
                    upload = UploadRecord.of(records.get(i));
                } catch (UploadRecord.Skipped skipped) {
                    (skipped.malformed() ? LOG.atWarn() : LOG.atInfo()).addKeyValue("record", i)
                            .addKeyValue("stage", VideoSplitter.STAGE).addKeyValue("reason", skipped.getMessage())
                            .log(skipped.malformed() ? "malformed record skipped" : "record ignored: not an upload");
                    continue;
                }
                splitter.process(upload.bucket(), upload.key(), upload.eTag(), upload.sequencer(), deadline);
            }
        }
        return null;
    }
}
