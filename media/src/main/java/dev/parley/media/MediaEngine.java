package dev.parley.media;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase;
import dev.onvoid.webrtc.media.audio.AudioProcessing;
import dev.onvoid.webrtc.media.audio.AudioProcessingConfig;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

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
    private final Devices devices;
    private boolean closed;

    private MediaEngine(AudioDeviceModuleBase audio, AudioProcessing processing, Devices devices) {
        this.audio = audio;
        this.processing = processing;
        this.devices = devices;
        this.factory = processing == null ? new PeerConnectionFactory(audio) : new PeerConnectionFactory(audio, processing);
    }

    /** An engine without audio devices: for tests, fake media and machines without sound. */
    public static MediaEngine headless() {
        return new MediaEngine(new HeadlessAudioDeviceModule(), null, new Devices(List.of(), List.of(), List.of(), false));
    }

    /**
     * The engine for this machine: the real audio module if a sound system lists devices within
     * {@code probeTimeout}, else headless. Blocks up to three times the timeout: never on the FX thread.
     */
    public static MediaEngine create(Duration probeTimeout) {
        Devices found = Devices.probe(probeTimeout);
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
                log.info("Audio: {} microphone(s), {} speaker(s)", found.microphones().size(), found.speakers().size());
                return new MediaEngine(module, apm, found);
            } catch (Throwable e) { // the module throws an Error when the sound server refuses
                log.warn("The audio devices cannot be opened ({}); continuing without them", e.toString());
                if (module != null) {
                    module.dispose();
                }
            }
        } else {
            log.info("No sound system answered; calls will send silence and play nothing");
        }
        return new MediaEngine(new HeadlessAudioDeviceModule(), null, found);
    }

    /** True if this engine has no real audio devices (tests, fake media, machines without sound). */
    public boolean isHeadless() {
        return audio instanceof HeadlessAudioDeviceModule;
    }

    /** The devices found when the engine was made. */
    public Devices devices() {
        return devices;
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
            devices.microphones().stream().filter(d -> d.getName().equals(microphone)).findFirst()
                    .ifPresent(audio::setRecordingDevice);
            devices.speakers().stream().filter(d -> d.getName().equals(speaker)).findFirst()
                    .ifPresent(audio::setPlayoutDevice);
            return true;
        } catch (RuntimeException e) {
            log.warn("Cannot switch audio devices to {} / {}: {}", microphone, speaker, e.toString());
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
