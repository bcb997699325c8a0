package dev.parley.media;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the one {@link PeerConnectionFactory} of the application and its audio device module, for the app's
 * lifetime. Close it last, after every peer connection, track and source made from it.
 *
 * <p>The audio module is always passed explicitly: webrtc-java's default module aborts the JVM when no sound
 * server runs (shared/WEBRTC-NOTES.md). This first version always uses {@link HeadlessAudioDeviceModule}, which
 * needs no audio devices; choosing the real module when devices exist comes with device selection.
 */
public final class MediaEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MediaEngine.class);

    private final AudioDeviceModuleBase audio;
    private final PeerConnectionFactory factory;
    private boolean closed;

    private MediaEngine(AudioDeviceModuleBase audio) {
        this.audio = audio;
        this.factory = new PeerConnectionFactory(audio);
    }

    /** An engine without audio devices: for tests, fake media and machines without sound. */
    public static MediaEngine headless() {
        return new MediaEngine(new HeadlessAudioDeviceModule());
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
    }
}
