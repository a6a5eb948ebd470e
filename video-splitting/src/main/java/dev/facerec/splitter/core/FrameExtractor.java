package dev.facerec.splitter.core;

import dev.facerec.common.io.RandomAccessSource;
import dev.facerec.common.io.SourceReadException;
import java.awt.image.BufferedImage;
import java.util.Optional;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodecDescriptor;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
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
 * Video to frame: opens a video through FFmpeg, reading only the bytes it needs from a {@link RandomAccessSource},
 * and keeps the first keyframe (the start of the first GoP) unless its picture is blank, as in a fade-in from black;
 * then it looks at the following keyframes, at most {@link Options#blankSearchSeconds()} into the video. Frames
 * between keyframes are decoded (the decoder needs them) but never converted or examined. The picture is turned
 * upright and encoded as JPEG. Thread-safe: each call has its own decoder.
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

    public ExtractedFrame extract(RandomAccessSource source) throws UnusableVideoException, SourceReadException {
        long start = System.nanoTime();
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
            VideoInfo info = describe(grabber);
            return choose(grabber, stream, info, start);
        } finally {
            release(grabber);
            FFmpegLog.forgetRefusals();
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
