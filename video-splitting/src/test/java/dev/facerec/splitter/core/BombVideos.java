package dev.facerec.splitter.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decompression bombs as an attacker would craft them: small files whose pictures are huge once decoded or once shown.
 * The bytes are written here, field by field, so that each lie is plain to see.
 */
public final class BombVideos {
    private BombVideos() {
    }

    /**
     * An AVI of one MJPEG frame whose headers ({@code avih}, {@code strh}, {@code strf}) say {@code headerSize} square
     * while the JPEG inside is {@code frameWidth x frameHeight}: the demuxer believes the header, the decoder the JPEG.
     */
    public static Path mjpegAviLargerThanItsHeader(Path file, int headerSize, int frameWidth, int frameHeight)
            throws IOException {
        byte[] jpeg = greyJpeg(frameWidth, frameHeight);
        byte[] avih = littleEndian(56)
                .putInt(40_000).putInt(0).putInt(0) // µs per frame (25 fps), max bytes/s, padding
                .putInt(0x10) // AVIF_HASINDEX
                .putInt(1).putInt(0).putInt(1) // frames, initial frames, streams
                .putInt(jpeg.length).putInt(headerSize).putInt(headerSize)
                .array(); // 4 reserved words stay 0
        byte[] strh = littleEndian(56)
                .put(ascii("vids")).put(ascii("MJPG"))
                .putInt(0).putShort((short) 0).putShort((short) 0).putInt(0) // flags, priority, language, initial
                .putInt(1).putInt(25).putInt(0).putInt(1) // scale, rate (25 fps), start, length in frames
                .putInt(jpeg.length).putInt(-1).putInt(0) // suggested buffer, quality (default), sample size
                .putShort((short) 0).putShort((short) 0).putShort((short) headerSize).putShort((short) headerSize)
                .array();
        byte[] strf = littleEndian(40) // BITMAPINFOHEADER
                .putInt(40).putInt(headerSize).putInt(headerSize)
                .putShort((short) 1).putShort((short) 24).put(ascii("MJPG"))
                .putInt(headerSize * headerSize * 3)
                .array(); // resolution and palette counts stay 0
        byte[] hdrl = list("hdrl", chunk("avih", avih), list("strl", chunk("strh", strh), chunk("strf", strf)));
        byte[] frame = chunk("00dc", jpeg);
        byte[] movi = list("movi", frame);
        // One index entry: a keyframe, its offset counted from the "movi" fourcc.
        byte[] idx1 = chunk("idx1", littleEndian(16)
                .put(ascii("00dc")).putInt(0x10).putInt(4).putInt(jpeg.length).array());
        return Files.write(file, riff("AVI ", hdrl, movi, idx1));
    }

    /**
     * A one-second 640x480 mov whose {@code pasp} box (pixel aspect ratio: horizontal and vertical spacing) says
     * {@code horizontal:vertical}. FFmpeg's muxer writes the box for a stated aspect (2:1 here); its two numbers are
     * then overwritten, as a crafted upload would.
     */
    public static Path movWithPixelAspect(Path file, int horizontal, int vertical) throws IOException {
        byte[] bytes = Files.readAllBytes(TestVideos.write(file, TestVideos.Spec.mov(), 1, 0, 640, 480, 2.0));
        int pasp = TestVideos.indexOf(bytes, ascii("pasp"));
        if (pasp < 0) {
            throw new IOException("FFmpeg wrote no pasp box in " + file);
        }
        ByteBuffer.wrap(bytes, pasp + 4, 8).putInt(horizontal).putInt(vertical);
        return Files.write(file, bytes);
    }

    /**
     * A baseline JPEG of one grey component, every block flat mid-grey. Its Huffman tables hold one code each (DC
     * difference 0, end of block), so each 8x8 block costs two bits: 12000x12000 pixels fit in 550 KB.
     */
    static byte[] greyJpeg(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd8}); // SOI
        byte[] quantisation = new byte[65]; // table 0, 8-bit precision, all ones
        java.util.Arrays.fill(quantisation, 1, 65, (byte) 1);
        quantisation[0] = 0;
        segment(out, 0xdb, quantisation);
        segment(out, 0xc0, ByteBuffer.allocate(9) // SOF0: 8 bits, height, width, one component (id 1, 1x1, table 0)
                .put((byte) 8).putShort((short) height).putShort((short) width)
                .put((byte) 1).put((byte) 1).put((byte) 0x11).put((byte) 0).array());
        byte[] huffman = new byte[2 * 18];
        for (int table = 0; table < 2; table++) {
            huffman[table * 18] = (byte) (table << 4); // DC table 0, then AC table 0
            huffman[table * 18 + 1] = 1; // one code of length 1 ...
            huffman[table * 18 + 17] = 0; // ... for symbol 0: DC difference 0, or AC end of block
        }
        segment(out, 0xc4, huffman);
        segment(out, 0xda, new byte[] {1, 1, 0x00, 0, 63, 0}); // SOS: component 1, tables 0/0, full spectrum
        long blocks = (long) ((width + 7) / 8) * ((height + 7) / 8);
        long bits = 2 * blocks;
        byte[] scan = new byte[(int) ((bits + 7) / 8)]; // every code is a 0 bit: no 0xFF to stuff
        int spare = (int) (scan.length * 8L - bits);
        if (spare > 0) {
            scan[scan.length - 1] = (byte) ((1 << spare) - 1); // the last byte is padded with 1 bits
        }
        out.writeBytes(scan);
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd9}); // EOI
        return out.toByteArray();
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] body) {
        out.write(0xff);
        out.write(marker);
        out.write((body.length + 2) >> 8);
        out.write(body.length + 2);
        out.writeBytes(body);
    }

    private static byte[] riff(String form, byte[]... chunks) {
        return chunk("RIFF", concat(ascii(form), chunks));
    }

    private static byte[] list(String type, byte[]... chunks) {
        return chunk("LIST", concat(ascii(type), chunks));
    }

    /** A RIFF chunk: fourcc, little-endian size, data, padded to an even length. */
    private static byte[] chunk(String fourcc, byte[] data) {
        ByteBuffer chunk = littleEndian(8 + data.length + (data.length & 1));
        chunk.put(ascii(fourcc)).putInt(data.length).put(data);
        return chunk.array();
    }

    private static byte[] concat(byte[] first, byte[]... rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        for (byte[] part : rest) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static ByteBuffer littleEndian(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
