package dev.parley.media;

import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.onvoid.webrtc.media.video.VideoTrack;

/**
 * A video source shown locally without a call (the settings' camera preview, the rendering benchmark): the
 * source, a track of its own and a sink holding the newest frame as BGRA. Closing stops the source and frees the
 * track.
 */
public final class LocalPreview implements AutoCloseable {
    private final VideoSource source;
    private final VideoTrack track;
    private final RemoteVideoSink sink = new RemoteVideoSink();
    private boolean closed;

    /** Shows {@code source}, which this preview owns from now on. */
    public LocalPreview(MediaEngine media, VideoSource source) {
        this.source = source;
        VideoTrack t = null;
        try {
            t = media.factory().createVideoTrack("preview", source.videoSource());
            t.addSink(sink);
            source.start();
        } catch (RuntimeException e) {
            if (t != null) {
                t.removeSink(sink);
                t.dispose();
            }
            source.close();
            throw e;
        }
        track = t;
    }

    /**
     * A preview of the camera with this name (as the engine lists it), or null if there is none. Opening a camera
     * can take a while: not on the FX thread.
     */
    public static LocalPreview camera(MediaEngine media, String name, int width, int height, int fps) {
        VideoDevice device = media.devices().camera(name).orElse(null);
        return device == null ? null : new LocalPreview(media, media.openCamera(device, width, height, fps));
    }

    public RemoteVideoSink sink() {
        return sink;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        source.close();
        track.removeSink(sink);
        track.dispose(); // never added to a connection, so ours to dispose
        sink.close();
    }
}
