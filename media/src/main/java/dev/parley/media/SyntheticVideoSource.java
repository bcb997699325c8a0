package dev.parley.media;

import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A moving test pattern with a {@link FrameStamp} (frame counter and capture time) burned into every frame,
 * pushed through a {@link CustomVideoSource}. Stands in for a camera in tests and with {@code --fake-media}.
 */
public final class SyntheticVideoSource implements VideoSource {
    private final CustomVideoSource source = new CustomVideoSource();
    private final int width;
    private final int height;
    private final int fps;
    private final byte[] pattern;
    private final Ticker ticker = new Ticker("parley-synthetic-video");
    private long counter;
    private volatile boolean frozen;

    public SyntheticVideoSource(int width, int height, int fps) {
        this(width, height, fps, 0);
    }

    /**
     * A pattern whose frame counter starts at {@code firstFrame}: two synthetic cameras told apart by the stamps
     * that arrive (one counts from 0, the other from 1,000,000).
     */
    public SyntheticVideoSource(int width, int height, int fps, long firstFrame) {
        if (width < 64 || height < 48 || width % 2 != 0 || height % 2 != 0 || fps < 1 || fps > 60) {
            throw new IllegalArgumentException("need an even size of at least 64x48 and 1 to 60 fps");
        }
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.counter = firstFrame;
        this.pattern = new byte[2 * width];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (40 + (i * 160 / width) % 160); // a ramp that scrolls with the counter
        }
    }

    /** The source to create a video track from. */
    @Override
    public CustomVideoSource videoSource() {
        return source;
    }

    /** The next frame's number (frames pushed so far, plus the first frame's number). */
    public synchronized long framesSent() {
        return counter;
    }

    /** Stops pushing frames, as a camera pulled out does; the source stays open until closed. */
    public void freeze() {
        frozen = true;
    }

    @Override
    public void start() {
        ticker.start(1_000_000L / fps, this::pushFrame);
    }

    /** One tick of the ticker, which logs a failure and goes on. */
    private void pushFrame() {
        if (frozen) {
            return;
        }
        long n;
        synchronized (this) {
            n = counter++;
        }
        Frames.push(source, width, height, buffer -> paint(buffer, n));
    }

    private void paint(NativeI420Buffer buffer, long n) {
        ByteBuffer y = buffer.getDataY();
        int strideY = buffer.getStrideY();
        int shift = (int) ((n * 4) % width);
        for (int row = 0; row < height; row++) {
            y.put(row * strideY, pattern, (shift + row) % width, width);
        }
        fill(buffer.getDataU(), buffer.getStrideU(), (byte) (128 + (n % 64) - 32));
        fill(buffer.getDataV(), buffer.getStrideV(), (byte) 128);
        new FrameStamp(n, FrameStamp.nowMicros()).write(y, strideY, width, height);
    }

    private void fill(ByteBuffer plane, int stride, byte value) {
        int w = (width + 1) / 2;
        int h = (height + 1) / 2;
        byte[] row = new byte[w];
        Arrays.fill(row, value);
        for (int r = 0; r < h; r++) {
            plane.put(r * stride, row, 0, w);
        }
    }

    @Override
    public void close() {
        if (ticker.stop()) { // no tick runs any more: the source can go
            source.dispose();
        }
    }
}
