package dev.parley.ui;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Clip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a call sound in a loop through Java Sound: the ringtone for an incoming call, the ringback while ours
 * rings. Opening the line can take a while, so it happens on the ringer's own thread; a machine without a sound
 * device rings silently (logged once) and the call goes on.
 */
public final class Ringer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Ringer.class);
    public static final String RINGTONE = "/sounds/ringtone.wav";
    public static final String RINGBACK = "/sounds/ringback.wav";

    /** Where a ringer stands, for the UI and tests. */
    public enum State {
        IDLE,
        PLAYING,
        NO_DEVICE
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parley-ringer");
        t.setDaemon(true);
        return t;
    });
    private volatile State state = State.IDLE;
    private volatile String sounding; // the sound asked to loop now, whether or not a device plays it
    private Clip clip; // ringer thread only
    private boolean warned;

    /** Starts looping a sound from the class path (stopping any other). */
    public void play(String resource) {
        if (thread.isShutdown()) {
            return;
        }
        thread.execute(() -> {
            stopNow();
            sounding = resource;
            try (InputStream in = Ringer.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("no sound " + resource);
                }
                AudioInputStream audio = AudioSystem.getAudioInputStream(new BufferedInputStream(in));
                Clip c = AudioSystem.getClip();
                c.open(audio);
                c.loop(Clip.LOOP_CONTINUOUSLY);
                clip = c;
                state = State.PLAYING;
            } catch (Exception | LinkageError e) {
                state = State.NO_DEVICE;
                if (!warned) {
                    warned = true;
                    log.info("Cannot play call sounds here ({}); calls ring silently", e.toString());
                }
            }
        });
    }

    public void stop() {
        if (!thread.isShutdown()) {
            thread.execute(this::stopNow);
        }
    }

    public State state() {
        return state;
    }

    /** The sound that should be ringing now ({@link #RINGTONE}, {@link #RINGBACK}), or null: silent machines too. */
    public String sounding() {
        return sounding;
    }

    private void stopNow() {
        sounding = null;
        if (clip != null) {
            clip.stop();
            clip.close();
            clip = null;
        }
        if (state == State.PLAYING) {
            state = State.IDLE;
        }
    }

    @Override
    public void close() {
        stop();
        thread.shutdown();
    }
}
