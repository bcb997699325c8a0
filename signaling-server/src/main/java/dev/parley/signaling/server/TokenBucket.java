package dev.parley.signaling.server;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Rate limiting of one connection's incoming messages: a token bucket that holds up to {@code burst} tokens and
 * refills at {@code perSecond}; each message takes one. A message without a token is dropped, the client is warned
 * at most once a second, and a long run of drops (ten bursts' worth, with no message admitted between) is a flood
 * that ends the connection.
 *
 * <p>Not thread-safe: only the thread reading the connection's current message uses it. The clock is injected
 * (nanoseconds, as {@link System#nanoTime()}) so that tests can step it.
 */
final class TokenBucket {
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int FLOOD_BURSTS = 10;

    /** What to do with one message. */
    enum Verdict {
        /** Handle it. */
        ADMIT,
        /** Drop it silently: the client was warned less than a second ago. */
        DROP,
        /** Drop it and tell the client it is sending too fast. */
        DROP_AND_WARN,
        /** Drop it and close the connection: the client keeps flooding. */
        CUT_OFF
    }

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledNanos;
    private boolean warned;
    private long warnedNanos;
    private int droppedInARow;

    /** Starts full. */
    TokenBucket(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledNanos = nanoTime.getAsLong();
    }

    /** Takes a token for one message, if there is one, and says what to do with the message. */
    Verdict take() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledNanos) * perSecond / 1e9);
        refilledNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            droppedInARow = 0;
            return Verdict.ADMIT;
        }
        droppedInARow++;
        if (droppedInARow > FLOOD_BURSTS * burst) {
            return Verdict.CUT_OFF;
        }
        if (!warned || now - warnedNanos > WARNING_INTERVAL_NANOS) {
            warned = true;
            warnedNanos = now;
            return Verdict.DROP_AND_WARN;
        }
        return Verdict.DROP;
    }

    /**
     * Takes extra tokens for a message that costs more than one to answer; the bucket may go below zero, and later
     * messages wait until it has refilled.
     */
    void charge(double extra) {
        tokens -= extra;
    }
}
