package dev.parley.media;

import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the peer its own video and audio back, like Skype's sound test: attach {@link #videoSink()} and
 * {@link #audioSink()} to the remote tracks and send tracks made from {@link #videoSource()} and
 * {@link #audioSource()}. Each received frame is copied into a new native buffer before it is pushed (the received
 * one belongs to the receiver and is released by it). Audio is pushed only after {@link #start()}: with the
 * headless audio module that must wait until its recording thread is stopped (see {@link ToneAudioSource}).
 */
public final class EchoSource {
    private static final Logger log = LoggerFactory.getLogger(EchoSource.class);

    private final CustomVideoSource video = new CustomVideoSource();
    private final CustomAudioSource audio = new CustomAudioSource();
    private volatile boolean audioOn;
    private volatile boolean closed;

    /** The video half, as a {@link VideoSource} the call owns; closing it closes the echo. */
    public VideoSource videoSource() {
        return new VideoSource() {
            @Override
            public CustomVideoSource videoSource() {
                return video;
            }

            @Override
            public void start() {}

            @Override
            public void close() {
                EchoSource.this.close();
            }
        };
    }

    /** The audio half, as an {@link AudioFeed}: {@link #start()} lets the peer's audio through. */
    public AudioFeed audioSource() {
        return new AudioFeed() {
            @Override
            public CustomAudioSource audioSource() {
                return audio;
            }

            @Override
            public void start() {
                audioOn = true;
            }

            @Override
            public void close() {
                EchoSource.this.close();
            }
        };
    }

    /** Receives the peer's video; never blocks, never throws, and releases each frame it is given. */
    public VideoTrackSink videoSink() {
        return this::echoFrame;
    }

    /** Receives the peer's audio. */
    public AudioTrackSink audioSink() {
        return (data, bitsPerSample, sampleRate, channels, frames) -> {
            if (!audioOn || closed) {
                return;
            }
            try {
                synchronized (this) {
                    if (!closed) {
                        audio.pushAudio(data, bitsPerSample, sampleRate, channels, frames);
                    }
                }
            } catch (Throwable e) {
                log.warn("Dropped an echo audio chunk: {}", e.toString());
            }
        };
    }

    private void echoFrame(VideoFrame frame) {
        // webrtc-java 0.14.0: the received buffer is used as it is (see RemoteVideoSink; its toI420() adds no
        // reference), so it is copied here, plane by plane, before the frame is released.
        try {
            if (closed || !(frame.buffer instanceof I420Buffer in)) {
                return;
            }
            int w = in.getWidth();
            int h = in.getHeight();
            int cw = (w + 1) / 2;
            int ch = (h + 1) / 2;
            synchronized (this) {
                if (!closed) {
                    Frames.push(video, w, h, copy -> {
                        copyPlane(in.getDataY(), in.getStrideY(), copy.getDataY(), copy.getStrideY(), w, h);
                        copyPlane(in.getDataU(), in.getStrideU(), copy.getDataU(), copy.getStrideU(), cw, ch);
                        copyPlane(in.getDataV(), in.getStrideV(), copy.getDataV(), copy.getStrideV(), cw, ch);
                    });
                }
            }
        } catch (Throwable e) {
            log.warn("Dropped an echo frame: {}", e.toString());
        } finally {
            frame.release(); // every sink's frame is its own reference (shared/WEBRTC-NOTES.md)
        }
    }

    private static void copyPlane(ByteBuffer from, int fromStride, ByteBuffer to, int toStride, int width, int rows) {
        byte[] row = new byte[width];
        for (int r = 0; r < rows; r++) {
            from.get(r * fromStride, row, 0, width);
            to.put(r * toStride, row, 0, width);
        }
    }

    /** Stops echoing and frees both native sources. Idempotent. */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        video.dispose();
        audio.dispose();
    }
}
