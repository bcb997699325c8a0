package dev.parley.media;

import dev.onvoid.webrtc.media.audio.CustomAudioSource;

/**
 * A steady sine tone pushed through a {@link CustomAudioSource} in 10 ms chunks of 48 kHz mono 16-bit PCM: the
 * synthetic microphone for tests and {@code --fake-media}. A receiver can tell whose tone it hears by its pitch
 * ({@link RemoteAudioSink#frequencyHz()}).
 *
 * <p>With webrtc-java's {@code HeadlessAudioDeviceModule}, start pushing only after
 * {@link MediaEngine#yieldHeadlessRecording()} once the call is connected: the module's own recording thread feeds
 * the same send stream and libwebrtc aborts the JVM on the race (shared/WEBRTC-NOTES.md).
 */
public final class ToneAudioSource implements AudioFeed {
    public static final int SAMPLE_RATE = 48_000;
    private static final int CHUNK = SAMPLE_RATE / 100;

    private final CustomAudioSource source = new CustomAudioSource();
    private final byte[] chunk = new byte[CHUNK * 2];
    private final byte[] period; // whole cycles of the tone, computed once: pushing is then a copy
    private final Ticker ticker = new Ticker("parley-tone");
    private long sample; // the ticker's thread only

    /** A tone of {@code hz} hertz at a quarter of full scale. */
    public ToneAudioSource(double hz) {
        if (hz < 20 || hz > 20_000) {
            throw new IllegalArgumentException("a tone between 20 Hz and 20 kHz, not " + hz);
        }
        // One second holds a whole number of cycles of an integral pitch; other pitches get a tiny phase jump a
        // second, which no test and no ear minds.
        this.period = new byte[SAMPLE_RATE * 2];
        for (int i = 0; i < SAMPLE_RATE; i++) {
            short v = (short) (8192 * Math.sin(2 * Math.PI * hz * i / SAMPLE_RATE));
            period[2 * i] = (byte) v; // little-endian, as libwebrtc's PCM is
            period[2 * i + 1] = (byte) (v >> 8);
        }
    }

    @Override
    public CustomAudioSource audioSource() {
        return source;
    }

    @Override
    public void start() {
        ticker.start(10_000, this::push);
    }

    private void push() {
        int at = (int) (sample % SAMPLE_RATE) * 2;
        System.arraycopy(period, at, chunk, 0, chunk.length); // CHUNK divides SAMPLE_RATE
        sample += CHUNK;
        source.pushAudio(chunk, 16, SAMPLE_RATE, 1, CHUNK);
    }

    @Override
    public void close() {
        if (ticker.stop()) { // no tick runs any more: the source can go
            source.dispose();
        }
    }
}
