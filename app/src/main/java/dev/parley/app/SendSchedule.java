package dev.parley.app;

/**
 * When each message of a fixed-rate load is due: message {@code i} at {@code start + i / rate} (the first at
 * {@code start}). Latency is measured from this scheduled time, not from when the sender got round to it, so a
 * sender that falls behind (a GC pause, a busy core, back-pressure) makes the figures worse instead of silently
 * leaving out the messages that would have waited ("coordinated omission", G. Tene).
 *
 * @param startNanos    {@code System.nanoTime()} at which message 0 is due
 * @param ratePerSecond messages a second, at least 1
 */
record SendSchedule(long startNanos, int ratePerSecond) {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    SendSchedule {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("the rate must be at least 1 a second");
        }
    }

    /** {@code System.nanoTime()} at which message {@code index} (from 0) is due. */
    long scheduledAt(long index) {
        return startNanos + index * NANOS_PER_SECOND / ratePerSecond;
    }

    /** How many messages are due by {@code nowNanos}: exactly those whose {@link #scheduledAt} is at or before it. */
    long dueBy(long nowNanos) {
        long elapsed = nowNanos - startNanos;
        if (elapsed < 0) {
            return 0;
        }
        // scheduledAt(i) <= now  <=>  floor(i * 1e9 / rate) <= elapsed  <=>  i < (elapsed + 1) * rate / 1e9
        return ((elapsed + 1) * ratePerSecond + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND;
    }

    /** Latency of a message received at {@code receivedNanos}, counted from when it was due. */
    long latencyNanos(long index, long receivedNanos) {
        return receivedNanos - scheduledAt(index);
    }
}
