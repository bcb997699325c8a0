package dev.parley.media;

import dev.onvoid.webrtc.media.FourCC;
import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoBufferConverter;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives a video track (the peer's, or our own camera for the self-view) and keeps only its newest frame (drop,
 * never queue): a replaced frame is released at once, and the newest is converted to BGRA only when a display
 * asks ({@link #copyNewest}), straight into the display's buffer. Also reads the {@link FrameStamp} of synthetic frames, for tests and latency.
 */
public final class RemoteVideoSink implements VideoTrackSink {
    private static final Logger log = LoggerFactory.getLogger(RemoteVideoSink.class);

    private final AtomicLong frames = new AtomicLong();
    private final CompletableFuture<Long> firstFrame = new CompletableFuture<>();
    private VideoFrame newest; // held until replaced or closed; under the lock
    private boolean closed;
    private long newestNumber; // under the lock
    private int width;
    private int height;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private long conversionCpuNanos; // under the lock
    private volatile Runnable frameListener;
    private volatile FrameStamp lastStamp;
    private volatile long lastStampAgeMicros = -1;
    // Delivery and latency of stamped frames, written on the native thread, read under the lock.
    private long firstCounter = -1;
    private long stampedFrames;
    private final long[] recentAgesMicros = new long[4096];
    private long agesWritten;
    private int firstWidth;
    private int firstHeight;

    @Override
    public void onVideoFrame(VideoFrame frame) {
        // A native thread: never throw, never block, always release (now, or when a newer frame replaces it).
        VideoFrame release = frame;
        long number;
        try {
            // webrtc-java 0.14.0 hands sinks a NativeI420Buffer, and its toI420() adds no reference: releasing the
            // result as well frees the frame's buffer twice and kills the JVM in VideoTrackSink::OnFrame
            // (measured here). So use the buffer as it is and release only the frame.
            if (!(frame.buffer instanceof I420Buffer i420)) {
                log.warn(
                        "Dropped a remote video frame that is not I420: {}",
                        frame.buffer.getClass().getName());
                return;
            }
            int w = i420.getWidth();
            int h = i420.getHeight();
            FrameStamp stamp = FrameStamp.read(i420.getDataY(), i420.getStrideY(), w, h);
            synchronized (this) {
                if (stamp != null) {
                    long age = stamp.ageMicros(FrameStamp.nowMicros());
                    lastStampAgeMicros = age;
                    lastStamp = stamp;
                    if (firstCounter < 0) {
                        firstCounter = stamp.counter();
                    }
                    stampedFrames++;
                    recentAgesMicros[(int) (agesWritten++ % recentAgesMicros.length)] = age;
                }
                if (frames.get() == 0) {
                    firstWidth = w;
                    firstHeight = h;
                }
                if (!closed) {
                    // Keep the newest frame as it came; convert only when a display asks for it. Frames a busy or
                    // hidden display skips cost nothing but this swap.
                    release = newest;
                    newest = frame;
                    width = w;
                    height = h;
                }
                number = newestNumber = frames.incrementAndGet(); // under the lock: the number goes with its frame
            }
            if (number == 1) {
                firstFrame.complete(System.nanoTime());
            }
            Runnable listener = frameListener;
            if (listener != null) {
                listener.run();
            }
        } catch (Throwable e) {
            // Nothing may escape into the native caller: a pending Java exception there kills the process.
            log.warn("Dropped a remote video frame: {}", e.toString());
        } finally {
            if (release != null) {
                release.release();
            }
        }
    }

    /**
     * Called on the native thread after each frame is ready for {@link #copyNewest}: must return at once (a display
     * marks "new frame" and schedules one redraw). Null to stop.
     */
    public void setFrameListener(Runnable listener) {
        this.frameListener = listener;
    }

    /** Completes with {@code System.nanoTime()} of the first frame shown; listeners run on the native thread. */
    public CompletionStage<Long> firstFrame() {
        return firstFrame.minimalCompletionStage();
    }

    /** CPU time spent converting frames to BGRA in {@link #copyNewest} so far, in nanoseconds (for benchmarks). */
    public synchronized long conversionCpuNanos() {
        return conversionCpuNanos;
    }

    /** Frames received so far. */
    public long framesReceived() {
        return frames.get();
    }

    /** The stamp of the newest stamped frame, or null. */
    public FrameStamp lastStamp() {
        return lastStamp;
    }

    /** Capture-to-receipt time of the newest stamped frame in microseconds, or -1. */
    public long lastStampAgeMicros() {
        return lastStampAgeMicros;
    }

    /**
     * Frames the sender pushed between the first and the newest stamped frame seen here (from the burned-in
     * counters), and how many of them arrived: {sent, received}. The difference was lost or dropped on the way.
     */
    public synchronized long[] delivery() {
        return lastStamp == null
                ? new long[] {0, 0}
                : new long[] {lastStamp.counter() - firstCounter + 1, stampedFrames};
    }

    /** Latencies of stamped frames and the cursor to read on from ({@link #latenciesSince}). */
    public record Latencies(long[] micros, long next) {}

    /**
     * Capture-to-receipt times, in microseconds and in order of arrival, of the stamped frames received since
     * {@code cursor} (0, then the previous answer's {@code next}): a reader that comes every second or so gets
     * every frame's latency once; one that falls further behind gets the newest 4096.
     */
    public synchronized Latencies latenciesSince(long cursor) {
        long from = Math.max(Math.max(0, cursor), agesWritten - recentAgesMicros.length);
        long[] ages = new long[(int) Math.max(0, agesWritten - from)];
        for (int i = 0; i < ages.length; i++) {
            ages[i] = recentAgesMicros[(int) ((from + i) % recentAgesMicros.length)];
        }
        return new Latencies(ages, agesWritten);
    }

    /** Capture-to-receipt time of recent stamped frames (up to 4096), in microseconds, sorted. */
    public synchronized long[] recentLatenciesMicros() {
        long[] ages = Arrays.copyOf(recentAgesMicros, (int) Math.min(agesWritten, recentAgesMicros.length));
        Arrays.sort(ages);
        return ages;
    }

    /** The first frame's size, as {width, height}: libwebrtc may start small and scale up. */
    public synchronized int[] firstSize() {
        return new int[] {firstWidth, firstHeight};
    }

    /** Which frame {@link #copyNewest} copied: its size and its number (frames received so far when it came). */
    public record Snapshot(int width, int height, long number) {}

    /**
     * Converts the newest frame into {@code target} as B,G,R,A bytes (rows packed, {@code width * height * 4}
     * bytes from the buffer's start; the position is left after them), for a display that draws at its own pace
     * and skips frames it already has (compare {@link Snapshot#number()}). The conversion (webrtc-java's native
     * I420→ARGB, whose byte order is what JavaFX's BGRA_PRE expects) writes straight into the display's buffer: no
     * intermediate copy. Null before the first frame, after {@link #close()}, or if {@code target} has no room.
     */
    public synchronized Snapshot copyNewest(ByteBuffer target) {
        int bytes = width * height * 4;
        if (newest == null || bytes == 0 || target.capacity() < bytes) {
            return null;
        }
        long cpu = CPU.getCurrentThreadCpuTime();
        try {
            if (target.isDirect()) {
                VideoBufferConverter.convertFromI420(newest.buffer, target, FourCC.ARGB);
            } else if (target.hasArray() && target.arrayOffset() == 0) {
                VideoBufferConverter.convertFromI420(newest.buffer, target.array(), FourCC.ARGB);
            } else {
                return null;
            }
        } catch (Exception e) {
            log.warn("Cannot convert a video frame: {}", e.toString());
            return null;
        } finally {
            conversionCpuNanos += CPU.getCurrentThreadCpuTime() - cpu;
        }
        target.clear().position(bytes);
        return new Snapshot(width, height, newestNumber);
    }

    /** Lets go of the newest frame; frames arriving afterwards are released at once. Idempotent. */
    public synchronized void close() {
        closed = true;
        if (newest != null) {
            newest.release();
            newest = null;
        }
    }

    /** The newest frame's size, as {width, height}; {0, 0} before the first frame. */
    public synchronized int[] size() {
        return new int[] {width, height};
    }
}
