package dev.parley.media;

import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;

/** Pushing frames made in Java into a {@link CustomVideoSource}, with the native buffer released exactly once. */
final class Frames {
    /** Fills a new buffer (pixels, a conversion, a copy). */
    interface Filler<E extends Exception> {
        void fill(NativeI420Buffer buffer) throws E;
    }

    private Frames() {}

    /**
     * Allocates a {@code width} x {@code height} I420 buffer, fills it, pushes it as a frame stamped now, and lets
     * go of it; if filling or pushing fails, the buffer is released all the same.
     */
    static <E extends Exception> void push(CustomVideoSource source, int width, int height, Filler<E> filler) throws E {
        NativeI420Buffer buffer = NativeI420Buffer.allocate(width, height);
        VideoFrame frame;
        try {
            filler.fill(buffer);
            frame = new VideoFrame(buffer, System.nanoTime());
        } catch (Exception | Error e) {
            buffer.release();
            throw e;
        }
        try {
            source.pushFrame(frame);
        } finally {
            frame.release(); // the frame owns the buffer's one reference
        }
    }
}
