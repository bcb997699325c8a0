package dev.parley.media;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase;
import dev.onvoid.webrtc.media.audio.AudioProcessing;
import dev.onvoid.webrtc.media.audio.AudioProcessingConfig;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.onvoid.webrtc.media.video.VideoDevice;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the one {@link PeerConnectionFactory} of the application and its audio device module, for the app's
 * lifetime. Close it last, after every peer connection, track and source made from it.
 *
 * <p>The audio module is always passed explicitly: webrtc-java's default module aborts the JVM when no sound
 * server runs (shared/WEBRTC-NOTES.md). {@link #create} uses the real module, with echo cancellation, noise
 * suppression and gain control, when a sound system answers with devices; otherwise, and for fake media,
 * {@link HeadlessAudioDeviceModule}, which needs no devices.
 */
public final class MediaEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);

    private final AudioDeviceModuleBase audio;
    private final AudioProcessing processing;
    private final PeerConnectionFactory factory;
    private final DeviceSource deviceSource;
    private volatile Devices devices;
    private boolean closed;

    private MediaEngine(
            AudioDeviceModuleBase audio, AudioProcessing processing, DeviceSource deviceSource, Devices devices) {
        this.audio = audio;
        this.processing = processing;
        this.deviceSource = deviceSource;
        this.devices = devices;
        this.factory =
                processing == null ? new PeerConnectionFactory(audio) : new PeerConnectionFactory(audio, processing);
    }

    /** An engine without devices: for tests, fake media and machines without sound. */
    public static MediaEngine headless() {
        return headless(new SyntheticDevices());
    }

    /** An engine with these cameras (a test's {@link SyntheticDevices}) and no audio devices. */
    public static MediaEngine headless(DeviceSource cameras) {
        return new MediaEngine(new HeadlessAudioDeviceModule(), null, cameras, cameras.probe(Duration.ofSeconds(2)));
    }

    /**
     * The engine for this machine: the real audio module if a sound system lists devices within
     * {@code probeTimeout}, else headless. Blocks up to three times the timeout: never on the FX thread.
     */
    public static MediaEngine create(Duration probeTimeout) {
        DeviceSource system = DeviceSource.system();
        Devices found = system.probe(probeTimeout);
        if (found.hasAudio()) {
            AudioDeviceModule module = null;
            try {
                module = new AudioDeviceModule();
                AudioProcessing apm = new AudioProcessing();
                AudioProcessingConfig config = new AudioProcessingConfig();
                config.echoCanceller.enabled = true;
                config.noiseSuppression.enabled = true;
                config.noiseSuppression.level = AudioProcessingConfig.NoiseSuppression.Level.MODERATE;
                config.gainControl.enabled = true;
                config.highPassFilter.enabled = true;
                apm.applyConfig(config);
                log.info(
                        "Audio: {} microphone(s), {} speaker(s)",
                        found.microphones().size(),
                        found.speakers().size());
                return new MediaEngine(module, apm, system, found);
            } catch (Throwable e) { // the module throws an Error when the sound server refuses
                log.warn("The audio devices cannot be opened ({}); continuing without them", e.toString());
                if (module != null) {
                    module.dispose();
                }
            }
        } else {
            log.info("No sound system answered; calls will send silence and play nothing");
        }
        return new MediaEngine(new HeadlessAudioDeviceModule(), null, system, found);
    }

    /** True if this engine has no real audio devices (tests, fake media, machines without sound). */
    public boolean isHeadless() {
        return audio instanceof HeadlessAudioDeviceModule;
    }

    /** The devices as last found (when the engine was made, or at the last plug or unplug). */
    public Devices devices() {
        return devices;
    }

    /**
     * Asks for the devices again and keeps the answer. A headless engine does not ask for audio devices again:
     * without a sound system that question never returns (its probe thread would be left behind each time).
     * Blocks up to the timeout per kind: never on the FX thread.
     */
    public Devices refreshDevices(Duration timeout) {
        Devices found = deviceSource.probe(timeout);
        if (isHeadless() && !found.audioProbed()) {
            found = new Devices(found.cameras(), devices.microphones(), devices.speakers(), devices.audioProbed());
        }
        devices = found;
        return found;
    }

    /**
     * Hears devices being plugged in or out: each change is probed again on a thread of its own (the native
     * watcher's thread must not wait) and {@code onChange} gets the new list there. Close the result to stop.
     */
    public AutoCloseable watchDevices(Consumer<Devices> onChange, Duration timeout) {
        ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "parley-device-change");
            t.setDaemon(true);
            return t;
        });
        AutoCloseable watching = deviceSource.watch(() -> prober.execute(() -> {
            try {
                onChange.accept(refreshDevices(timeout));
            } catch (RuntimeException e) {
                log.warn("Handling a device change failed: {}", e.toString());
            }
        }));
        return () -> {
            watching.close();
            prober.shutdownNow();
        };
    }

    /** A video source capturing from this camera (one this engine's {@link #devices()} listed). */
    public VideoSource openCamera(VideoDevice camera, int width, int height, int fps) {
        return deviceSource.openCamera(camera, width, height, fps);
    }

    /**
     * Stops the headless module's own recording thread, so that a {@link ToneAudioSource} is the only writer to the
     * audio send stream; call it once a call is connected and before the tone starts. libwebrtc starts recording
     * again for the next call. With webrtc-java 0.14.0, both writing at once fails a race check in
     * {@code audio_send_stream.cc} and aborts the JVM about a second after connecting (shared/WEBRTC-NOTES.md).
     */
    public synchronized void yieldHeadlessRecording() {
        if (closed || !(audio instanceof HeadlessAudioDeviceModule)) {
            return;
        }
        try {
            audio.stopRecording();
        } catch (RuntimeException e) {
            log.warn("Stopping the headless audio recording failed: {}", e.toString());
        }
    }

    /**
     * Records from and plays to these devices (by name, as {@link #devices()} lists them); null or an unknown name
     * keeps the current one. Takes effect for calls started afterwards. Does nothing on a headless engine.
     * Returns false if the module refused.
     */
    public synchronized boolean useAudioDevices(String microphone, String speaker) {
        if (closed || isHeadless()) {
            return true;
        }
        try {
            devices.microphones().stream()
                    .filter(d -> d.getName().equals(microphone))
                    .findFirst()
                    .ifPresent(audio::setRecordingDevice);
            devices.speakers().stream()
                    .filter(d -> d.getName().equals(speaker))
                    .findFirst()
                    .ifPresent(audio::setPlayoutDevice);
            return true;
        } catch (RuntimeException e) {
            log.warn("Cannot switch audio devices to {} / {}: {}", microphone, speaker, e.toString());
            return false;
        }
    }

    /**
     * Switches the microphone and/or the speaker of calls in progress (null keeps one): the module stops, takes
     * the new device and starts again. False on a headless engine (there is nothing to switch) or if the module
     * refused; the old device then stays.
     */
    public synchronized boolean switchAudioDevicesNow(String microphone, String speaker) {
        if (closed || isHeadless()) {
            return false;
        }
        try {
            var mic = devices.microphones().stream()
                    .filter(d -> d.getName().equals(microphone))
                    .findFirst();
            if (mic.isPresent()) {
                audio.stopRecording();
                audio.setRecordingDevice(mic.get());
                audio.initRecording();
                audio.startRecording();
            }
            var out = devices.speakers().stream()
                    .filter(d -> d.getName().equals(speaker))
                    .findFirst();
            if (out.isPresent()) {
                audio.stopPlayout();
                audio.setPlayoutDevice(out.get());
                audio.initPlayout();
                audio.startPlayout();
            }
            return mic.isPresent() || out.isPresent();
        } catch (RuntimeException e) {
            log.warn("Cannot switch audio devices to {} / {} mid-call: {}", microphone, speaker, e.toString());
            return false;
        }
    }

    public PeerConnectionFactory factory() {
        if (closed) {
            throw new IllegalStateException("the media engine is closed");
        }
        return factory;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            factory.dispose();
        } catch (RuntimeException e) {
            log.warn("Disposing the peer connection factory failed", e);
        }
        try {
            audio.dispose();
        } catch (RuntimeException e) {
            log.warn("Disposing the audio device module failed", e);
        }
        if (processing != null) {
            try {
                processing.dispose();
            } catch (RuntimeException e) {
                log.warn("Disposing the audio processing failed", e);
            }
        }
    }
}
