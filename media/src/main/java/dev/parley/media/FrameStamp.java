package dev.parley.media;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * A frame counter and a capture time burned into the luma of a video frame, so that a receiver can check order
 * and measure end-to-end latency from the pixels alone, whatever the codec and the scaling in between.
 *
 * <p>The stamp is a grid of {@value #COLUMNS}×{@value #ROWS} cells across the top sixth of the frame, one bit a
 * cell (dark or light): 32 bits of counter, 48 bits of capture time in microseconds, 16 bits of check. Cells are
 * large (40×20 pixels at 640×480) so that lossy compression does not flip them; the reader samples each cell's
 * middle, and the check rejects anything that is not a stamp.
 */
public record FrameStamp(long counter, long captureMicros) {
    static final int COLUMNS = 16;
    static final int ROWS = 6;
    private static final int BAND_DIVISOR = 6; // the grid takes the top sixth
    private static final byte DARK = 16;
    private static final byte LIGHT = (byte) 235;

    /** Writes the stamp into a Y plane. */
    void write(ByteBuffer y, int stride, int width, int height) {
        long[] bits = bits();
        int bandHeight = height / BAND_DIVISOR;
        for (int row = 0; row < ROWS; row++) {
            int y0 = row * bandHeight / ROWS;
            int y1 = (row + 1) * bandHeight / ROWS;
            for (int col = 0; col < COLUMNS; col++) {
                int bit = row * COLUMNS + col;
                byte value = ((bits[bit / 64] >>> (bit % 64)) & 1) != 0 ? LIGHT : DARK;
                int x0 = col * width / COLUMNS;
                int x1 = (col + 1) * width / COLUMNS;
                for (int yy = y0; yy < y1; yy++) {
                    int base = yy * stride;
                    for (int xx = x0; xx < x1; xx++) {
                        y.put(base + xx, value);
                    }
                }
            }
        }
    }

    /** Reads a stamp from a Y plane, or returns null if there is none (the check fails). */
    static FrameStamp read(ByteBuffer y, int stride, int width, int height) {
        long[] bits = new long[2];
        int bandHeight = height / BAND_DIVISOR;
        for (int row = 0; row < ROWS; row++) {
            int yc = (2 * row + 1) * bandHeight / (2 * ROWS);
            for (int col = 0; col < COLUMNS; col++) {
                int xc = (2 * col + 1) * width / (2 * COLUMNS);
                int sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = Math.max(0, Math.min(height - 1, yc + dy));
                        int xx = Math.max(0, Math.min(width - 1, xc + dx));
                        sum += y.get(yy * stride + xx) & 0xff;
                    }
                }
                if (sum / 9 > 128) {
                    int bit = row * COLUMNS + col;
                    bits[bit / 64] |= 1L << (bit % 64);
                }
            }
        }
        long counter = bits[0] & 0xffffffffL;
        long micros = (bits[0] >>> 32) | ((bits[1] & 0xffffL) << 32);
        int check = (int) ((bits[1] >>> 16) & 0xffff);
        return check == check(counter, micros) ? new FrameStamp(counter, micros) : null;
    }

    private long[] bits() {
        long c = counter & 0xffffffffL;
        long m = captureMicros & 0xffffffffffffL;
        long[] bits = new long[2];
        bits[0] = c | (m << 32);
        bits[1] = (m >>> 32) | ((long) check(c, m) << 16);
        return bits;
    }

    private static int check(long counter, long micros) {
        long h = counter * 0x9E3779B97F4A7C15L ^ micros * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        return (int) ((h ^ 0xA5C3) & 0xffff); // the constant: an all-dark frame (all bits 0) is not a stamp
    }

    /** The capture time's 48 low bits of the wall clock in microseconds, as written into frames. */
    public static long nowMicros() {
        Instant now = Instant.now();
        return (now.getEpochSecond() * 1_000_000L + now.getNano() / 1000) & 0xffffffffffffL;
    }

    /** Microseconds from capture to {@code nowMicros}, minding the 48-bit wrap. */
    public long ageMicros(long nowMicros) {
        return (nowMicros - captureMicros) & 0xffffffffffffL;
    }
}
