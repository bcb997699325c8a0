package dev.parley.media;

import dev.onvoid.webrtc.media.MediaDevices;
import dev.onvoid.webrtc.media.video.VideoCaptureCapability;
import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.onvoid.webrtc.media.video.VideoDeviceSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A camera, through webrtc-java's native capture, at the capability closest to the size and rate asked. */
public final class CameraSource implements VideoSource {
    private static final Logger log = LoggerFactory.getLogger(CameraSource.class);

    private final VideoDeviceSource source = new VideoDeviceSource();
    private final VideoDevice device;
    private boolean started;
    private boolean closed;

    public CameraSource(VideoDevice device, int width, int height, int fps) {
        this.device = device;
        source.setVideoCaptureDevice(device);
        VideoCaptureCapability chosen =
                Devices.closest(MediaDevices.getVideoCaptureCapabilities(device), width, height, fps);
        if (chosen != null) {
            source.setVideoCaptureCapability(chosen);
        }
        log.info("Camera {}: {}", device.getName(), chosen == null ? "its default mode" : chosen);
    }

    @Override
    public VideoDeviceSource videoSource() {
        return source;
    }

    @Override
    public synchronized void start() {
        if (!closed && !started) {
            source.start();
            started = true;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (started) {
                source.stop();
            }
        } catch (RuntimeException e) {
            log.warn("Stopping camera {} failed: {}", device.getName(), e.toString());
        }
        source.dispose();
    }
}
