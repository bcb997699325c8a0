package dev.parley.signaling.client;

import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Ping;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Keeps watch over one signed-in link: a ping each interval unless one is already out, a link check on demand,
 * and the verdict that the link is dead when a ping goes unanswered. Anything heard from the server counts as the
 * answer (docs/PROTOCOL.md section 10).
 *
 * <p>One per link: started after the welcome, stopped when the link goes; a stopped one never acts again. Its
 * timers fire on the client's loop, where {@link #heard()} is called too, so a verdict never races a message;
 * {@link #check} and {@link #stop()} may come from any thread. State is guarded by this, and {@code onDead} is
 * called without that lock.
 */
final class KeepAlive {
    private final Transport.Link link;
    private final MessageCodec codec;
    private final Duration interval;
    private final LoopTimers timers;
    private final LongSupplier nanoTime;
    private final Consumer<String> onDead;

    // Guarded by this.
    /** When the outstanding ping went, as {@code nanoTime}; 0 when none is out. */
    private long pingSentNanos;

    private LoopTimers.Timer ticking;
    private boolean stopped;

    /**
     * @param nanoTime the clock, {@link System#nanoTime()} in the client
     * @param onDead   called on the loop with the reason once the link is found dead; it closes the link and
     *                 reconnects
     */
    KeepAlive(
            Transport.Link link,
            MessageCodec codec,
            Duration interval,
            LoopTimers timers,
            LongSupplier nanoTime,
            Consumer<String> onDead) {
        this.link = link;
        this.codec = codec;
        this.interval = interval;
        this.timers = timers;
        this.nanoTime = nanoTime;
        this.onDead = onDead;
    }

    /** Starts the pings, the first one interval from now. */
    synchronized void start() {
        if (!stopped && ticking == null) {
            ticking = timers.every(interval, this::tick);
        }
    }

    /** Something came from the server: the link is alive, the outstanding ping is answered. */
    synchronized void heard() {
        pingSentNanos = 0;
    }

    /**
     * Pings now (unless a ping is already out), and declares the link dead if nothing at all is heard within
     * {@code within} of that ping.
     */
    void check(Duration within) {
        long sentAt;
        synchronized (this) {
            if (stopped) {
                return;
            }
            sentAt = pingNow();
        }
        timers.after(within, () -> deadIfSilentSince(sentAt, "no answer to a link check"));
    }

    /** No more pings or verdicts. Idempotent. */
    synchronized void stop() {
        stopped = true;
        if (ticking != null) {
            ticking.cancel();
            ticking = null;
        }
        pingSentNanos = 0;
    }

    /** Each interval: a ping if none is out; one still unanswered an interval after it went means a dead link. */
    private void tick() {
        long outstanding;
        synchronized (this) {
            if (stopped) {
                return;
            }
            outstanding = pingSentNanos;
            if (outstanding == 0) {
                pingNow();
                return;
            }
        }
        if (nanoTime.getAsLong() - outstanding > interval.toNanos()) {
            deadIfSilentSince(outstanding, "no answer to ping");
        }
    }

    /** Holds this. Sends a ping unless one is out; returns when the outstanding one went. */
    private long pingNow() {
        if (pingSentNanos == 0) {
            pingSentNanos = nanoTime.getAsLong();
            link.send(codec.encode(new Ping(pingSentNanos)));
        }
        return pingSentNanos;
    }

    /** Declares the link dead if nothing at all was heard since the ping sent at {@code sentAt}. */
    private void deadIfSilentSince(long sentAt, String why) {
        synchronized (this) {
            if (stopped || pingSentNanos != sentAt) {
                return;
            }
        }
        onDead.accept(why);
    }
}
