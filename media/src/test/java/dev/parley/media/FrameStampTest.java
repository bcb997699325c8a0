package dev.parley.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameStampTest {

    private static ByteBuffer plane(int stride, int height, int fill) {
        ByteBuffer y = ByteBuffer.allocateDirect(stride * height);
        for (int i = 0; i < stride * height; i++) {
            y.put(i, (byte) fill);
        }
        return y;
    }

    @Test
    void aStampSurvivesWritingAndReadingWithCodecLikeNoise() {
        int w = 640;
        int h = 480;
        int stride = 672; // padded rows, as native buffers have
        ByteBuffer y = plane(stride, h, 90);
        FrameStamp stamp = new FrameStamp(123_456, FrameStamp.nowMicros());
        stamp.write(y, stride, w, h);
        Random random = new Random(1);
        for (int i = 0; i < stride * h; i++) { // +-40 of noise: far more than a codec's error on flat cells
            int v = (y.get(i) & 0xff) + random.nextInt(81) - 40;
            y.put(i, (byte) Math.max(0, Math.min(255, v)));
        }
        assertEquals(stamp, FrameStamp.read(y, stride, w, h));
    }

    @Test
    void aFrameWithoutAStampReadsAsNone() {
        assertNull(FrameStamp.read(plane(320, 180, 0), 320, 320, 180));
        assertNull(FrameStamp.read(plane(320, 180, 200), 320, 320, 180));
    }

    @Test
    void ageHandlesTheWrapOfTheFortyEightBitClock() {
        FrameStamp stamp = new FrameStamp(1, 0xffffffffffffL - 5);
        assertEquals(10, stamp.ageMicros(4));
    }
}
