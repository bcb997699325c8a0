package dev.parley.signaling.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * The delays between reconnection attempts: exponential growth from a minimum to a maximum, with <em>equal
 * jitter</em>. The step doubles with each attempt ({@code step = min(max, min × 2^attempt)}), and the delay is
 * drawn uniformly from {@code [step/2, step]}: half of it fixed, half random. So clients dropped together by a
 * server restart spread their retries out, and no retry comes sooner than half its step (plain "full jitter",
 * uniform in {@code [0, step]}, would allow immediate retries). The names are those of the AWS Architecture Blog's
 * "Exponential Backoff And Jitter"; docs/PROTOCOL.md section 10 gives the default numbers.
 *
 * <p>Not thread-safe: the client's lock guards it.
 */
final class Backoff {
    /** 2^20 times the minimum is beyond any sensible maximum; the cap keeps the shift from overflowing. */
    private static final int MAX_DOUBLINGS = 20;

    private final long minMillis;
    private final long maxMillis;
    private final LongUnaryOperator randomBelow;
    private int attempt;

    /** Random delays from {@link ThreadLocalRandom}. */
    Backoff(Duration min, Duration max) {
        this(min, max, bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    /** @param randomBelow given a bound {@code n > 0}, a number in {@code [0, n)} */
    Backoff(Duration min, Duration max, LongUnaryOperator randomBelow) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.randomBelow = randomBelow;
    }

    /** The delay before the next attempt, in milliseconds; counts the attempt. */
    long nextDelayMillis() {
        long step = Math.min(maxMillis, minMillis * (1L << Math.min(attempt, MAX_DOUBLINGS)));
        long delay = step / 2 + randomBelow.applyAsLong(step / 2 + 1);
        attempt++;
        return delay;
    }

    /** Starts again from the minimum: called once a connection has signed in. */
    void reset() {
        attempt = 0;
    }
}
