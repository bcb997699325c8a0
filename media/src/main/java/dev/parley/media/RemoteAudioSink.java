package dev.parley.media;

import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to a remote audio track: counts the 10 ms chunks that arrive, and measures their level and pitch (from
 * zero crossings over half a second), enough for a level meter and for tests to know which tone they hear.
 * Called on a native audio thread: never blocks, never throws.
 */
public final class RemoteAudioSink implements AudioTrackSink {
    private static final Logger log = LoggerFactory.getLogger(RemoteAudioSink.class);

    private volatile long chunks;
    private volatile double level;
    private volatile double frequencyHz;
    private long windowSamples;
    private long windowCrossings;
    private int windowRate;
    private short lastSample;

    @Override
    public void onData(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        try {
            if (bitsPerSample != 16 || channels < 1 || data == null) {
                return;
            }
            int n = Math.min(frames, data.length / (2 * channels));
            double sum = 0;
            long crossings = 0;
            short previous = lastSample;
            for (int i = 0; i < n; i++) {
                int at = 2 * i * channels; // the first channel only
                short v = (short) ((data[at] & 0xff) | (data[at + 1] << 8));
                sum += (double) v * v;
                if ((previous < 0) != (v < 0)) {
                    crossings++;
                }
                previous = v;
            }
            lastSample = previous;
            level = n == 0 ? 0 : Math.sqrt(sum / n) / 32768.0;
            if (windowRate != sampleRate) {
                windowRate = sampleRate;
                windowSamples = 0;
                windowCrossings = 0;
            }
            windowSamples += n;
            windowCrossings += crossings;
            if (windowSamples >= sampleRate / 2) {
                frequencyHz = windowCrossings / 2.0 * sampleRate / windowSamples;
                windowSamples = 0;
                windowCrossings = 0;
            }
            chunks++;
        } catch (Throwable e) {
            log.warn("Dropped a remote audio chunk: {}", e.toString());
        }
    }

    /** Chunks received so far (100 a second while audio plays). */
    public long chunksReceived() {
        return chunks;
    }

    /** RMS level of the newest chunk, 0 (silence) to 1 (full scale). */
    public double level() {
        return level;
    }

    /** The pitch of the last half second estimated from zero crossings, in hertz; 0 before it is known. */
    public double frequencyHz() {
        return frequencyHz;
    }
}
