package dev.parley.media;

import dev.onvoid.webrtc.media.Device;
import dev.onvoid.webrtc.media.DeviceChangeListener;
import dev.onvoid.webrtc.media.MediaDevices;
import dev.onvoid.webrtc.media.audio.AudioDevice;
import dev.onvoid.webrtc.media.video.VideoCaptureCapability;
import dev.onvoid.webrtc.media.video.VideoDevice;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cameras, microphones and speakers of this machine, asked of webrtc-java off the caller's thread with a
 * time limit: without a sound server, {@code MediaDevices.getAudioCaptureDevices()} never returns
 * (shared/WEBRTC-NOTES.md). A probe that times out leaves its thread behind (a daemon, parked in native code) and
 * reports the kind as unavailable. Never call it on the FX thread; it may take the whole timeout.
 *
 * @param cameras       video capture devices
 * @param microphones   audio capture devices (empty if unavailable)
 * @param speakers      audio playout devices (empty if unavailable)
 * @param audioProbed   false if the audio probe failed or timed out: there is no usable sound system
 */
public record Devices(
        List<VideoDevice> cameras, List<AudioDevice> microphones, List<AudioDevice> speakers, boolean audioProbed) {
    private static final Logger log = LoggerFactory.getLogger(Devices.class);

    /** Asks for every kind of device, each within {@code timeout}. */
    public static Devices probe(Duration timeout) {
        NativeLibrary.load();
        List<VideoDevice> cameras = ask("cameras", MediaDevices::getVideoCaptureDevices, timeout);
        List<AudioDevice> microphones = ask("microphones", MediaDevices::getAudioCaptureDevices, timeout);
        List<AudioDevice> speakers =
                microphones == null ? null : ask("speakers", MediaDevices::getAudioRenderDevices, timeout);
        return new Devices(
                cameras == null ? List.of() : cameras,
                microphones == null ? List.of() : microphones,
                speakers == null ? List.of() : speakers,
                microphones != null && speakers != null);
    }

    /** The cameras' names, as a UI lists them and settings keep them. */
    public List<String> cameraNames() {
        return cameras.stream().map(VideoDevice::getName).toList();
    }

    public List<String> microphoneNames() {
        return microphones.stream().map(AudioDevice::getName).toList();
    }

    public List<String> speakerNames() {
        return speakers.stream().map(AudioDevice::getName).toList();
    }

    /** The camera with this name, if present. */
    public Optional<VideoDevice> camera(String name) {
        return cameras.stream().filter(c -> c.getName().equals(name)).findFirst();
    }

    /** Whether the real audio module can be used: a sound system answered and has a microphone or speaker. */
    public boolean hasAudio() {
        return audioProbed && (!microphones.isEmpty() || !speakers.isEmpty());
    }

    private static <T> List<T> ask(String what, Supplier<List<T>> query, Duration timeout) {
        CompletableFuture<List<T>> answer = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        answer.complete(List.copyOf(query.get()));
                    } catch (Throwable e) {
                        answer.completeExceptionally(e);
                    }
                },
                "parley-device-probe");
        t.setDaemon(true);
        t.start();
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.info("No answer listing {} within {} ms; taking none", what, timeout.toMillis());
        } catch (ExecutionException e) {
            log.info("Listing {} failed: {}", what, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /**
     * Calls {@code onChange} with the device's name whenever a camera, microphone or speaker is plugged in or
     * out, on webrtc-java's native thread (hand the work off; probe again off the UI thread). Close the result to
     * stop listening. Registering happens on a thread of its own and the caller never waits for it: on a machine
     * without a device manager (udev) webrtc-java 0.14.0's registration was seen to block for good (this project's
     * CI machine); there the watch stays silent.
     */
    public static AutoCloseable watch(Consumer<String> onChange) {
        NativeLibrary.load();
        DeviceChangeListener listener = new DeviceChangeListener() {
            @Override
            public void deviceConnected(Device device) {
                notify(device);
            }

            @Override
            public void deviceDisconnected(Device device) {
                notify(device);
            }

            private void notify(Device device) {
                try {
                    onChange.accept(device.getName());
                } catch (Throwable e) { // never into native code
                    log.warn("A device listener failed: {}", e.toString());
                }
            }
        };
        AtomicInteger phase = new AtomicInteger(); // 0 registering, 1 registered, 2 closed
        Thread registering = new Thread(
                () -> {
                    try {
                        MediaDevices.addDeviceChangeListener(listener);
                        if (!phase.compareAndSet(0, 1)) { // closed while we were registering
                            MediaDevices.removeDeviceChangeListener(listener);
                        }
                    } catch (Throwable e) {
                        log.info("Devices plugged in or out will not be noticed: {}", e.toString());
                    }
                },
                "parley-device-watch");
        registering.setDaemon(true);
        registering.start();
        return () -> {
            if (phase.getAndSet(2) == 1) {
                MediaDevices.removeDeviceChangeListener(listener);
            }
        };
    }

    /**
     * The capability closest to what is asked: the smallest difference in pixel count (as a ratio, so 720p is as
     * far from 1080p as 360p is from 720p), then the frame rate nearest at or above the one asked, then below.
     * Null if there are none.
     */
    public static VideoCaptureCapability closest(
            List<VideoCaptureCapability> capabilities, int width, int height, int fps) {
        double wanted = Math.log((double) width * height);
        return capabilities.stream()
                .filter(c -> c.width > 0 && c.height > 0)
                .min(Comparator.<VideoCaptureCapability>comparingDouble(
                                c -> Math.abs(Math.log((double) c.width * c.height) - wanted))
                        .thenComparingInt(c -> Math.abs(c.width * height - c.height * width)) // aspect ratio
                        .thenComparingInt(c -> c.frameRate >= fps ? c.frameRate - fps : 1000 + fps - c.frameRate))
                .orElse(null);
    }
}
