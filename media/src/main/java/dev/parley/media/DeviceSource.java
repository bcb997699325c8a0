package dev.parley.media;

import dev.onvoid.webrtc.media.video.VideoDevice;
import java.time.Duration;

/**
 * Where cameras, microphones and speakers come from: this machine through webrtc-java ({@link #system()}), or
 * a set a test plugs and unplugs ({@link SyntheticDevices}). The seam that lets a test take a camera away
 * mid-call without hardware.
 */
public interface DeviceSource {
    /** The devices present now, each kind asked within {@code timeout} (never on the FX thread). */
    Devices probe(Duration timeout);

    /** Calls {@code onChange} (on any thread; hand the work off) when a device is plugged in or out. */
    AutoCloseable watch(Runnable onChange);

    /** A video source capturing from this camera at about this size and rate. */
    VideoSource openCamera(VideoDevice camera, int width, int height, int fps);

    /** This machine's devices. */
    static DeviceSource system() {
        return new DeviceSource() {
            @Override
            public Devices probe(Duration timeout) {
                return Devices.probe(timeout);
            }

            @Override
            public AutoCloseable watch(Runnable onChange) {
                return Devices.watch(name -> onChange.run());
            }

            @Override
            public VideoSource openCamera(VideoDevice camera, int width, int height, int fps) {
                return new CameraSource(camera, width, height, fps);
            }
        };
    }
}
