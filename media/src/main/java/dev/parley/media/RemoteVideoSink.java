package dev.parley.media;

import dev.onvoid.webrtc.media.FourCC;
import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives a video track (the peer's, or our own camera for the self-view): converts each I420 frame off the native thread into a reusable BGRA buffer with
 * webrtc-java's native converter, releases the native frame at once, and keeps only the newest frame for the
 * consumer (drop, never queue). Also reads the {@link FrameStamp} of synthetic frames, for tests and latency.
 */
public final class RemoteVideoSink implements VideoTrackSink {
    private static final Logger log = LoggerFactory.getLogger(RemoteVideoSink.class);

    private final AtomicLong frames = new AtomicLong();
    private final java.util.concurrent.CompletableFuture<Long> firstFrame = new java.util.concurrent.CompletableFuture<>();
    private ByteBuffer bgra = ByteBuffer.allocateDirect(0);
    private int width;
    private int height;
    private volatile Runnable frameListener;
    private volatile FrameStamp lastStamp;
    private volatile long lastStampAgeMicros = -1;
    // Delivery and latency of stamped frames, written on the native thread, read under the lock.
    private long firstCounter = -1;
    private long stampedFrames;
    private final long[] recentAgesMicros = new long[4096];
    private int agesWritten;
    private int firstWidth;
    private int firstHeight;

    @Override
    public void onVideoFrame(VideoFrame frame) {
        // A native thread: never throw, never block, always release.
        try {
            // webrtc-java 0.14.0 hands sinks a NativeI420Buffer, and its toI420() adds no reference: releasing the
            // result as well frees the frame's buffer twice and kills the JVM in VideoTrackSink::OnFrame
            // (measured here). So use the buffer as it is and release only the frame.
            if (!(frame.buffer instanceof I420Buffer i420)) {
                log.warn("Dropped a remote video frame that is not I420: {}", frame.buffer.getClass().getName());
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
                    recentAgesMicros[agesWritten++ % recentAgesMicros.length] = age;
                }
                if (frames.get() == 0) {
                    firstWidth = w;
                    firstHeight = h;
                }
                if (bgra.capacity() < w * h * 4) {
                    bgra = ByteBuffer.allocateDirect(w * h * 4);
                }
                bgra.clear();
                // FourCC.ARGB gives the B,G,R,A byte order in memory that JavaFX's BGRA_PRE expects.
                dev.onvoid.webrtc.media.video.VideoBufferConverter.convertFromI420(i420, bgra, FourCC.ARGB);
                width = w;
                height = h;
            }
            if (frames.incrementAndGet() == 1) {
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
            frame.release();
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
    public java.util.concurrent.CompletionStage<Long> firstFrame() {
        return firstFrame.minimalCompletionStage();
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
        return lastStamp == null ? new long[]{0, 0} : new long[]{lastStamp.counter() - firstCounter + 1, stampedFrames};
    }

    /** Capture-to-receipt time of recent stamped frames (up to 4096), in microseconds, sorted. */
    public synchronized long[] recentLatenciesMicros() {
        long[] ages = java.util.Arrays.copyOf(recentAgesMicros, Math.min(agesWritten, recentAgesMicros.length));
        java.util.Arrays.sort(ages);
        return ages;
    }

    /** The first frame's size, as {width, height}: libwebrtc may start small and scale up. */
    public synchronized int[] firstSize() {
        return new int[]{firstWidth, firstHeight};
    }

    /** Which frame {@link #copyNewest} copied: its size and its number (frames received so far when it came). */
    public record Snapshot(int width, int height, long number) {
    }

    /**
     * Copies the newest frame's pixels (B,G,R,A bytes, rows packed, {@code width * height * 4} bytes) into
     * {@code target} at its position, for a display that draws at its own pace and skips frames it already has
     * (compare {@link Snapshot#number()}). Null before the first frame or if {@code target} has no room.
     */
    public synchronized Snapshot copyNewest(ByteBuffer target) {
        int bytes = width * height * 4;
        if (bytes == 0 || target.remaining() < bytes) {
            return null;
        }
        ByteBuffer source = bgra.duplicate();
        source.position(0).limit(bytes);
        target.put(source);
        return new Snapshot(width, height, frames.get());
    }

    /** The newest frame's size, as {width, height}; {0, 0} before the first frame. */
    public synchronized int[] size() {
        return new int[]{width, height};
    }
}
