package dev.parley.media;

import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.onvoid.webrtc.media.video.VideoTrack;

/**
 * A camera shown locally without a call (the settings' preview): the camera, a track of its own and a sink with
 * the newest frame as BGRA. Closing stops the camera and frees the track.
 */
public final class CameraPreview implements AutoCloseable {
    private final CameraSource camera;
    private final VideoTrack track;
    private final RemoteVideoSink sink = new RemoteVideoSink();
    private boolean closed;

    public CameraPreview(MediaEngine media, VideoDevice device, int width, int height, int fps) {
        camera = new CameraSource(device, width, height, fps);
        VideoTrack t = null;
        try {
            t = media.factory().createVideoTrack("preview", camera.videoSource());
            t.addSink(sink);
            camera.start();
        } catch (RuntimeException e) {
            if (t != null) {
                t.removeSink(sink);
                t.dispose();
            }
            camera.close();
            throw e;
        }
        track = t;
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
        camera.close();
        track.removeSink(sink);
        track.dispose(); // never added to a connection, so ours to dispose
    }
}
