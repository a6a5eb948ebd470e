package dev.facerec.splitter.core;

import dev.facerec.common.Deadline;
import dev.facerec.common.io.RandomAccessSource;
import dev.facerec.common.io.SourceReadException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodecDescriptor;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Video to frames: opens a video through FFmpeg, reading only the bytes it needs from a {@link RandomAccessSource}.
 * {@link #extract} (the {@code first} sampling) keeps the first keyframe (the start of the first GoP) unless its
 * picture is blank, as in a fade-in from black; then it looks at the following keyframes, at most
 * {@link Options#blankSearchSeconds()} into the video. Frames between keyframes are decoded (the decoder needs them)
 * but never converted or examined. The picture is turned upright and encoded as JPEG. {@link #sample} takes keyframes through the whole video instead. Thread-safe: each
 * call has its own decoder.
 */
public final class FrameExtractor {

    /** Limits of the search and of what a video may ask of memory. */
    public record Options(double blankSearchSeconds, int maxKeyframes, long maxPixels, float jpegQuality) {
        /** 10 s and 12 keyframes past a black intro; 8K UHD at most (a bigger header is a decompression bomb). */
        public static final Options DEFAULTS = new Options(10.0, 12, 7680L * 4320L, 0.92f);
    }

    /**
     * Pixel aspect ratios beyond 10:1 either way are refused: real ones (DV's 40:33, HDV's 4:3, a 2:1 anamorphic
     * squeeze) are far inside, and a crafted one would stretch a small picture past any memory, or squeeze it to
     * nothing.
     */
    private static final double MAX_PIXEL_ASPECT = 10;

    /** FFmpeg demuxer names of the containers people upload: mp4/mov/3gp, mkv/webm, avi, MPEG-TS, FLV. */
    private static final Set<String> VIDEO_CONTAINERS =
            Set.of("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi", "mpegts", "flv");

    static {
        FFmpegLog.install();
    }

    private final Options options;
    private final JpegEncoder jpeg;

    public FrameExtractor(Options options) {
        this.options = options;
        this.jpeg = new JpegEncoder(options.jpegQuality());
    }

    public FrameExtractor() {
        this(Options.DEFAULTS);
    }

    /**
     * Loads the FFmpeg libraries the extractor uses, now (once per process) rather than on the first video. JavaCV
     * also tries libavdevice, which needs PulseAudio, ALSA and XCB (absent on Lambda); it is not used here, and
     * JavaCV carries on without it.
     */
    public static void loadNatives() {
        try {
            Loader.load(avutil.class);
            Loader.load(swresample.class);
            Loader.load(avcodec.class);
            Loader.load(avformat.class);
            Loader.load(swscale.class);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("FFmpeg native libraries cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** The first keyframe with content: {@link FrameSampling#FIRST}. */
    public ExtractedFrame extract(RandomAccessSource source) throws UnusableVideoException, SourceReadException {
        long start = System.nanoTime();
        Opened video = open(source);
        try {
            return choose(video.grabber(), video.stream(), video.info(), start);
        } finally {
            release(video.grabber());
            FFmpegLog.forgetRefusals();
        }
    }

    /** Receives each sampled frame as soon as it is encoded, so that it can be stored while the next is decoded. */
    @FunctionalInterface
    public interface FrameSink {
        void accept(ExtractedFrame frame);
    }

    /**
     * The frames {@code sampling} asks for, in time order, each handed to {@code sink}. No new frame is started once
     * {@code stopBy} has passed: what was handed over stands, marked incomplete. With {@link FrameSampling#FIRST}
     * this is {@link #extract}.
     *
     * <p>{@link FrameSampling.Mode#KEYFRAMES} reads the keyframes' times from the container's index (mp4, mov, mkv,
     * webm) and seeks to each chosen one, so that only its bytes are read and decoded, with the few packets after it
     * that a decoder with B-frames needs before it lets the keyframe's picture out. A container without an index
     * (MPEG-TS, most FLV and AVI) is read from start to end, keyframes alone decoded. A blank keyframe is passed over
     * for the next one (up to {@link Options#maxKeyframes()} in a row); a video of blank keyframes only gives its
     * first, marked blank, as {@link #extract} does.
     */
    public VideoSample sample(RandomAccessSource source, FrameSampling sampling, Deadline stopBy, FrameSink sink)
            throws UnusableVideoException, SourceReadException {
        if (sampling.mode() == FrameSampling.Mode.FIRST) {
            ExtractedFrame frame = extract(source);
            sink.accept(frame);
            return new VideoSample(frame.video(), 1, frame.keyframesDecoded(), false, true, null);
        }
        long start = System.nanoTime();
        Opened video = open(source);
        try {
            return new KeyframeSampler(video, sampling, stopBy, sink, start).run();
        } finally {
            release(video.grabber());
            FFmpegLog.forgetRefusals();
        }
    }

    /** A started grabber, the stream it reads through, and what the container says of the video. */
    private record Opened(FFmpegFrameGrabber grabber, SourceInputStream stream, VideoInfo info) {
    }

    private Opened open(RandomAccessSource source)
            throws UnusableVideoException, SourceReadException {
        if (source.size() == 0) {
            throw new UnusableVideoException("the object is empty");
        }
        SourceInputStream stream = new SourceInputStream(source);
        FFmpegLog.forgetRefusals();
        FFmpegFrameGrabber grabber = open(stream, false);
        try {
            if (grabber == null || grabber.getImageWidth() <= 0) {
                // FLV names its streams only in its packets, and some codecs (MPEG-4 Part 2 in mov) state the
                // picture size only in the bitstream: probe for them.
                release(grabber);
                stream = new SourceInputStream(source);
                grabber = open(stream, true);
            }
            return new Opened(grabber, stream, describe(grabber));
        } catch (UnusableVideoException | SourceReadException | RuntimeException e) {
            release(grabber);
            FFmpegLog.forgetRefusals();
            throw e;
        }
    }

    /** The started grabber, or null where only probing can find the streams (the header lists none). */
    private FFmpegFrameGrabber open(SourceInputStream stream, boolean probeStreams)
            throws UnusableVideoException, SourceReadException {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(stream, Integer.MAX_VALUE);
        // One decoding thread: frame threading would hold the first picture back until several packets arrive.
        grabber.setVideoOption("threads", "1");
        // The header's size is checked, but the decoder takes the size its bitstream states (an MJPEG frame says its
        // own): FFmpeg then refuses to allocate a bigger picture.
        grabber.setVideoOption("max_pixels", Long.toString(options.maxPixels()));
        grabber.setOption("probesize", Integer.toString(1 << 20));
        // An index no stream has, so no audio decoder: the sound is never used, and one this build lacks (AC-4,
        // MPEG-H) must not cost the video. JavaCV then starts only on a video stream.
        grabber.setAudioStream(Integer.MAX_VALUE);
        try {
            // Without probing first: the container's header is enough for most uploads, and quicker.
            grabber.start(probeStreams);
            return grabber;
        } catch (FrameGrabber.Exception e) {
            AVFormatContext context = grabber.getFormatContext();
            try {
                if (stream.failure() == null && context != null && !context.isNull()) {
                    // The container opened and was read: its header says more than the FFmpeg call that failed.
                    if (!probeStreams && streamsComeWithPackets(context)) {
                        return null;
                    }
                    checkContainer(grabber.getFormat());
                    checkHasVideoStream(context);
                    // FFmpeg refuses to open a decoder for an absurd picture size; say that, not "unsupported codec".
                    checkVideoStreamSizes(context);
                    checkDecoderExists(context, grabber.getVideoStream());
                }
            } finally {
                release(grabber);
            }
            throw failure(stream, "cannot open as a video", e);
        }
    }

    /** FLV's header lists no streams: the demuxer adds each one when its first packet comes. */
    private static boolean streamsComeWithPackets(AVFormatContext context) {
        return context.nb_streams() == 0 && (context.ctx_flags() & avformat.AVFMTCTX_NOHEADER) != 0;
    }

    private static void checkContainer(String container) throws UnusableVideoException {
        if (!VIDEO_CONTAINERS.contains(container)) {
            // FFmpeg also opens still images, subtitles and raw streams; none of them is an uploaded video.
            throw new UnusableVideoException("not a video container (FFmpeg reads it as '" + container + "')");
        }
    }

    private static void checkHasVideoStream(AVFormatContext context) throws UnusableVideoException {
        for (int i = 0; i < context.nb_streams(); i++) {
            if (context.streams(i).codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                return;
            }
        }
        throw new UnusableVideoException("the file has no video stream");
    }

    private void checkVideoStreamSizes(AVFormatContext context) throws UnusableVideoException {
        for (int i = 0; i < context.nb_streams(); i++) {
            AVCodecParameters parameters = context.streams(i).codecpar();
            if (parameters.codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                checkPictureSize("the video", parameters.width(), parameters.height());
            }
        }
    }

    /**
     * JavaCV's FFmpeg lacks some decoders (EVC, AVS2, AVS3): name the codec of the video stream JavaCV chose rather
     * than leave it a number.
     */
    private static void checkDecoderExists(AVFormatContext context, int videoStream) throws UnusableVideoException {
        if (videoStream < 0 || videoStream >= context.nb_streams()) {
            return;
        }
        AVCodecParameters parameters = context.streams(videoStream).codecpar();
        int codec = parameters.codec_id();
        if (codec == avcodec.AV_CODEC_ID_NONE) {
            String tag = fourcc(parameters.codec_tag());
            throw new UnusableVideoException("the video codec" + (tag == null ? "" : " '" + tag + "'")
                    + " is unknown to FFmpeg");
        }
        if (avcodec.avcodec_find_decoder(codec) == null) {
            AVCodecDescriptor descriptor = avcodec.avcodec_descriptor_get(codec);
            String name = avcodec.avcodec_get_name(codec).getString();
            throw new UnusableVideoException("the video codec " + name
                    + (descriptor == null ? "" : " (" + descriptor.long_name().getString() + ")")
                    + " is not supported by this build's FFmpeg");
        }
    }

    /** A codec tag as the four characters mp4, mov and avi store ("avc1"), or null where it is not one. */
    private static String fourcc(int tag) {
        StringBuilder text = new StringBuilder();
        for (int shift = 0; shift < 32; shift += 8) {
            int c = (tag >>> shift) & 0xff;
            if (c < 0x20 || c >= 0x7f) {
                return null;
            }
            text.append((char) c);
        }
        return text.toString();
    }

    /**
     * Refuses a picture that would not fit the memory it is given once turned into the picture a viewer sees: too many
     * pixels as stored, a pixel aspect ratio no camera makes, or too many pixels once widened by that ratio.
     *
     * @param what "the video" (its header) or "the decoded picture"
     */
    private void checkPicture(String what, int width, int height, double pixelAspect) throws UnusableVideoException {
        checkPictureSize(what, width, height);
        // Written so that NaN is refused too.
        if (!(pixelAspect >= 1 / MAX_PIXEL_ASPECT && pixelAspect <= MAX_PIXEL_ASPECT)) {
            throw new UnusableVideoException("the pixel aspect ratio " + ratio(pixelAspect) + " is outside 1:"
                    + (int) MAX_PIXEL_ASPECT + " to " + (int) MAX_PIXEL_ASPECT + ":1");
        }
        int displayWidth = UprightPicture.displayWidth(width, pixelAspect);
        if ((long) displayWidth * height > options.maxPixels()) {
            throw new UnusableVideoException(what + " is " + displayWidth + "x" + height + " once its pixel aspect "
                    + "ratio " + ratio(pixelAspect) + " is applied, above the limit of " + options.maxPixels()
                    + " pixels");
        }
    }

    private void checkPictureSize(String what, long width, long height) throws UnusableVideoException {
        if (width * height > options.maxPixels()) {
            throw new UnusableVideoException(what + " is " + width + "x" + height + ", above the limit of "
                    + options.maxPixels() + " pixels");
        }
    }

    /** An aspect ratio as FFmpeg's nearest fraction, "40:33". */
    private static String ratio(double aspect) {
        AVRational fraction = avutil.av_d2q(aspect, 1_000_000);
        return fraction.num() + ":" + fraction.den();
    }

    private static void release(FFmpegFrameGrabber grabber) {
        if (grabber == null) {
            return;
        }
        try {
            grabber.release();
        } catch (FrameGrabber.Exception ignored) {
            // Freeing native buffers after a failed decode: nothing left to report.
        }
    }

    private VideoInfo describe(FFmpegFrameGrabber grabber) throws UnusableVideoException {
        String container = grabber.getFormat();
        checkContainer(container);
        int width = grabber.getImageWidth();
        int height = grabber.getImageHeight();
        if (width <= 0 || height <= 0) {
            throw new UnusableVideoException("the video stream has no picture size");
        }
        checkPicture("the video", width, height, grabber.getAspectRatio());
        AVStream stream = grabber.getFormatContext().streams(grabber.getVideoStream());
        int rotation = UprightPicture.clockwiseTurn(displayMatrixDegrees(stream));
        int scaledWidth = UprightPicture.displayWidth(width, grabber.getAspectRatio());
        boolean quarter = rotation == 90 || rotation == 270;
        double duration = stream.duration() > 0
                ? stream.duration() * (double) stream.time_base().num() / stream.time_base().den() : 0;
        return new VideoInfo(container, grabber.getVideoCodecName(), width, height, rotation,
                quarter ? height : scaledWidth, quarter ? scaledWidth : height, duration, grabber.getFrameRate());
    }

    /** The display matrix angle (FFmpeg 7 keeps it in the stream's coded side data, where JavaCV 1.5.11 does not look). */
    private static double displayMatrixDegrees(AVStream stream) {
        AVCodecParameters parameters = stream.codecpar();
        AVPacketSideData matrix = avcodec.av_packet_side_data_get(parameters.coded_side_data(),
                parameters.nb_coded_side_data(), avcodec.AV_PKT_DATA_DISPLAYMATRIX);
        return matrix == null || matrix.isNull() || matrix.size() < 36
                ? 0 : avutil.av_display_rotation_get(new IntPointer(matrix.data()));
    }

    private ExtractedFrame choose(FFmpegFrameGrabber grabber, SourceInputStream stream, VideoInfo info, long start)
            throws UnusableVideoException, SourceReadException {
        long startMicros = Math.max(0, grabber.getFormatContext().start_time());
        BufferedImage first = null;
        double firstTime = 0;
        int decoded = 0;
        while (decoded < options.maxKeyframes()) {
            Frame frame;
            try {
                // After the first picture, only keyframes are returned (and converted to BGR).
                frame = grabber.grabFrame(false, true, true, decoded > 0, false);
            } catch (FrameGrabber.Exception e) {
                throw failure(stream, "cannot decode the video", e);
            }
            if (frame == null || frame.image == null) {
                break;
            }
            decoded++;
            double time = Math.max(0, (frame.timestamp - startMicros) / 1e6);
            if (decoded > 1 && time > options.blankSearchSeconds()) {
                break;
            }
            // The decoder's own size and aspect, which the header need not have told: checked before any copy.
            checkPicture("the decoded picture", frame.imageWidth, frame.imageHeight, grabber.getAspectRatio());
            java.nio.ByteBuffer pixels = (java.nio.ByteBuffer) frame.image[0];
            boolean blank = BlankFrameDetector.isBlank(pixels, frame.imageWidth, frame.imageHeight, frame.imageStride);
            if (!blank || first == null) {
                BufferedImage picture = UprightPicture.of(pixels, frame.imageWidth, frame.imageHeight,
                        frame.imageStride, grabber.getAspectRatio(), info.rotation());
                if (!blank) {
                    return encode(picture, time, decoded, false, info, start);
                }
                first = picture;
                firstTime = time;
            }
        }
        if (stream.failure() != null) {
            throw stream.failure();
        }
        if (first == null) {
            // A decoder that refused a picture above max_pixels says so only in FFmpeg's log.
            Optional<FFmpegLog.PictureSize> refused = FFmpegLog.refusedPicture();
            if (refused.isPresent()) {
                checkPictureSize("the decoded picture", refused.get().width(), refused.get().height());
            }
            throw new UnusableVideoException("no decodable video frame (truncated or corrupt video?)");
        }
        return encode(first, firstTime, decoded, true, info, start);
    }

    /** The keyframes of one video chosen and handed over, by the index or by reading it through. */
    private final class KeyframeSampler {
        private final FFmpegFrameGrabber grabber;
        private final SourceInputStream stream;
        private final VideoInfo info;
        private final FrameSampling sampling;
        private final Deadline stopBy;
        private final FrameSink sink;
        private final long start;
        private final double spacing;
        /** Where the video's timestamps start, in microseconds (a container may start above zero). */
        private final long startMicros;
        private double nextAllowed = Double.NEGATIVE_INFINITY;
        private double lastTime = Double.NEGATIVE_INFINITY;
        private int handed;
        private int decoded;
        private int blanksInARow;
        private BufferedImage firstBlank;
        private double firstBlankTime;
        private String incomplete;

        KeyframeSampler(Opened video, FrameSampling sampling, Deadline stopBy, FrameSink sink, long start) {
            this.grabber = video.grabber();
            this.stream = video.stream();
            this.info = video.info();
            this.sampling = sampling;
            this.stopBy = stopBy;
            this.sink = sink;
            this.start = start;
            this.spacing = sampling.spacing(info.durationSeconds());
            this.startMicros = Math.max(0, grabber.getFormatContext().start_time());
        }

        VideoSample run() throws UnusableVideoException, SourceReadException {
            List<Long> indexed = indexedKeyframes();
            boolean seeked = !indexed.isEmpty();
            try {
                if (seeked) {
                    byIndex(indexed);
                } else {
                    throughout();
                }
            } catch (FrameGrabber.Exception e) {
                if (stream.failure() != null) {
                    throw stream.failure();
                }
                if (handed == 0 && firstBlank == null) {
                    throw failure(stream, "cannot decode the video", e);
                }
                incomplete = "the video cannot be decoded after " + seconds(Math.max(lastTime, 0)) + ": "
                        + ffmpegReason(e);
            }
            if (stream.failure() != null) {
                throw stream.failure();
            }
            if (handed == 0) {
                if (firstBlank == null) {
                    Optional<FFmpegLog.PictureSize> refused = FFmpegLog.refusedPicture();
                    if (refused.isPresent()) {
                        checkPictureSize("the decoded picture", refused.get().width(), refused.get().height());
                    }
                    throw new UnusableVideoException("no decodable video frame (truncated or corrupt video?)");
                }
                sink.accept(encode(firstBlank, firstBlankTime, decoded, true, info, start));
                handed = 1;
            }
            return new VideoSample(info, handed, decoded, seeked, incomplete == null, incomplete);
        }

        /**
         * The keyframes' presentation times by the container's index, in microseconds as the decoder states them
         * (the video's start included), in order; empty without a whole index. Only mp4/mov, Matroska and AVI read one from the
         * file; other demuxers add to the index as they read, so theirs covers only what probing read. Matroska
         * reads its index (Cues) on the first seek.
         */
        private List<Long> indexedKeyframes() {
            if (!INDEXED_CONTAINERS.contains(info.container())) {
                return List.of();
            }
            AVFormatContext context = grabber.getFormatContext();
            AVStream video = context.streams(grabber.getVideoStream());
            if (avformat.avformat_index_get_entries_count(video) == 0) {
                // Nothing decoded yet: a seek to the start moves the demuxer only.
                avformat.av_seek_frame(context, video.index(), Math.max(0, video.start_time()),
                        avformat.AVSEEK_FLAG_BACKWARD);
            }
            AVRational base = video.time_base();
            int count = avformat.avformat_index_get_entries_count(video);
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                AVIndexEntry entry = avformat.avformat_index_get_entry(video, i);
                if (entry == null || (entry.flags() & AVIndexEntry.AVINDEX_KEYFRAME) == 0
                        || (entry.flags() & AVIndexEntry.AVINDEX_DISCARD_FRAME) != 0) {
                    continue;
                }
                // Rounded up: a seek to the microsecond below would land on the keyframe before.
                long micros = Math.floorDiv(entry.timestamp() * 1_000_000L * base.num() + base.den() - 1, base.den());
                if (times.isEmpty() || micros > times.get(times.size() - 1)) {
                    times.add(micros);
                }
            }
            if (times.isEmpty()) {
                return times;
            }
            // mp4's index holds decoding times, which B-frames put before the presentation times its seeks take:
            // the first keyframe is presented at the stream's start, which gives the shift (none for Matroska).
            long shift = video.start_time() == avutil.AV_NOPTS_VALUE ? 0
                    : Math.max(0, video.start_time() * 1_000_000L * base.num() / base.den() - times.get(0));
            List<Long> presented = times.stream().map(t -> t + shift).toList();
            // An AVI without its index (idx1) has only what was read: it must reach the video's end.
            double end = (presented.get(presented.size() - 1) - startMicros) / 1e6;
            boolean whole = info.durationSeconds() <= 0
                    || end >= info.durationSeconds() - Math.max(MAX_INDEX_GAP_SECONDS, 2 * spacing);
            return whole ? presented : List.of();
        }

        private void byIndex(List<Long> keyframes) throws FrameGrabber.Exception, UnusableVideoException {
            // JavaCV's seek adds the container's start time back.
            long start = grabber.getFormatContext().start_time();
            long seekBase = start == avutil.AV_NOPTS_VALUE ? 0 : start;
            double last = 0;
            for (long keyframe : keyframes) {
                last = (keyframe - startMicros) / 1e6;
                if (last < nextAllowed - EPSILON_SECONDS) {
                    continue;
                }
                if (stopsHere(last)) {
                    return;
                }
                // Seeks to the keyframe, then decodes from it until its picture comes out: with B-frames the decoder
                // releases it only after the next few packets (JavaCV's seek may have done so already).
                grabber.setTimestamp(keyframe - seekBase);
                Frame frame = grabber.grabFrame(false, true, true, false, false);
                for (int more = 0; frame != null && frame.image != null && time(frame) < last - EPSILON_SECONDS
                        && more < MAX_REORDER; more++) {
                    frame = grabber.grabFrame(false, true, true, false, false); // a picture shown before it
                }
                if (frame == null || frame.image == null) {
                    return;
                }
                offer(frame, last);
                if (handed == sampling.maxFrames()) {
                    break;
                }
            }
            if (handed == sampling.maxFrames() && last >= nextAllowed - EPSILON_SECONDS && last > lastTime) {
                incomplete = "MAX_FRAMES (" + sampling.maxFrames() + ") reached at " + seconds(lastTime);
            }
        }

        private void throughout() throws FrameGrabber.Exception, UnusableVideoException {
            while (true) {
                if (stopsHere(lastTime)) {
                    return;
                }
                Frame frame = grabber.grabFrame(false, true, true, true, false);
                if (frame == null || frame.image == null) {
                    return;
                }
                double time = time(frame);
                if (time < nextAllowed - EPSILON_SECONDS) {
                    continue;
                }
                if (handed == sampling.maxFrames()) {
                    incomplete = "MAX_FRAMES (" + sampling.maxFrames() + ") reached at " + seconds(lastTime);
                    return;
                }
                offer(frame, time);
            }
        }

        /** Whether sampling stops before the keyframe at {@code time}: the time is up (a frame is always taken). */
        private boolean stopsHere(double time) {
            if ((handed > 0 || firstBlank != null) && stopBy.hasPassed()) {
                incomplete = "the time ran out after " + handed + " frames, at " + seconds(Math.max(time, 0))
                        + (info.durationSeconds() > 0 ? " of " + seconds(info.durationSeconds()) : "");
                return true;
            }
            return false;
        }

        /**
         * One decoded keyframe: handed over, or passed over as blank. {@code slot} is its time as the index or the
         * decoder says, from which the next is chosen.
         */
        private void offer(Frame frame, double slot) throws UnusableVideoException {
            double time = time(frame);
            decoded++;
            if (time <= lastTime) {
                return; // an index that points back: a picture already seen
            }
            checkPicture("the decoded picture", frame.imageWidth, frame.imageHeight, grabber.getAspectRatio());
            java.nio.ByteBuffer pixels = (java.nio.ByteBuffer) frame.image[0];
            boolean blank = BlankFrameDetector.isBlank(pixels, frame.imageWidth, frame.imageHeight, frame.imageStride);
            if (blank) {
                if (firstBlank == null && handed == 0) {
                    firstBlank = UprightPicture.of(pixels, frame.imageWidth, frame.imageHeight, frame.imageStride,
                            grabber.getAspectRatio(), info.rotation());
                    firstBlankTime = time;
                }
                // The next keyframe may show what this one fades into; after a run of blanks, wait a spacing.
                blanksInARow++;
                lastTime = time;
                nextAllowed = blanksInARow < options.maxKeyframes() ? slot + EPSILON_SECONDS * 2 : slot + spacing;
                return;
            }
            blanksInARow = 0;
            BufferedImage picture = UprightPicture.of(pixels, frame.imageWidth, frame.imageHeight,
                    frame.imageStride, grabber.getAspectRatio(), info.rotation());
            sink.accept(encode(picture, time, decoded, false, info, start));
            handed++;
            lastTime = time;
            nextAllowed = slot + spacing;
        }

        private double time(Frame frame) {
            return Math.max(0, (frame.timestamp - startMicros) / 1e6);
        }
    }

    /** Demuxers that read the whole index of the video from the file (mp4/mov, Matroska, AVI with idx1). */
    private static final Set<String> INDEXED_CONTAINERS = Set.of("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi");

    /** The longest group of pictures an index may leave after its last keyframe and still be whole. */
    private static final double MAX_INDEX_GAP_SECONDS = 10;

    /** Pictures a decoder may show before the keyframe it was seeked to (B-frames of an open group): a bound. */
    private static final int MAX_REORDER = 16;

    /** Keyframe times closer than this are one time: what rounding of timestamps may leave between them. */
    private static final double EPSILON_SECONDS = 0.001;

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    private ExtractedFrame encode(BufferedImage picture, double time, int decoded, boolean blank, VideoInfo info,
                                  long start) {
        long decodedAt = System.nanoTime();
        byte[] bytes = jpeg.encode(picture);
        return new ExtractedFrame(bytes, picture.getWidth(), picture.getHeight(), time, decoded, blank, info,
                new ExtractedFrame.Timings((decodedAt - start) / 1e6, (System.nanoTime() - decodedAt) / 1e6));
    }

    /** A read failure of the source wins over FFmpeg's view of it (it only saw the data end early). */
    private static UnusableVideoException failure(SourceInputStream stream, String what, FrameGrabber.Exception e)
            throws SourceReadException {
        if (stream.failure() != null) {
            throw stream.failure();
        }
        return new UnusableVideoException(what + ": " + ffmpegReason(e), e);
    }

    /** JavaCV's messages name the FFmpeg call that failed; say what that means for an upload. */
    private static String ffmpegReason(FrameGrabber.Exception e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("avformat_open_input()")) {
            return "not a container FFmpeg recognises, or its header is corrupt";
        }
        if (message.startsWith("avcodec_open2()")) {
            return "the video codec is not supported";
        }
        if (message.startsWith("avformat_find_stream_info()")) {
            return "the streams cannot be read (corrupt or truncated video?)";
        }
        return "FFmpeg cannot read it";
    }
}
