package dev.parley.app;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One rate of {@code parley bench signaling}: when each message was due to go out ({@link SendSchedule}), and
 * each receipt's latency from that time (no coordinated omission). Messages carry a mark, {@code run.index}, that
 * says which run and which message they are.
 */
final class RateRun {
    final int id;
    final SendSchedule schedule;
    final AtomicLong received = new AtomicLong();
    final AtomicLong lastReceived = new AtomicLong(Long.MIN_VALUE);
    private final long[] latencies; // from the scheduled send to receipt
    private final AtomicInteger samples = new AtomicInteger();

    RateRun(int id, SendSchedule schedule, long messages) {
        this.id = id;
        this.schedule = schedule;
        this.latencies = new long[(int) Math.min(messages, 50_000_000)];
    }

    void receivedAt(long index, long nowNanos) {
        int slot = samples.getAndIncrement();
        if (slot < latencies.length) {
            latencies[slot] = schedule.latencyNanos(index, nowNanos);
        }
        received.incrementAndGet();
        lastReceived.accumulateAndGet(nowNanos, Math::max);
    }

    long[] latencies() {
        return Arrays.copyOf(latencies, Math.min(samples.get(), latencies.length));
    }

    /** The run and the message index of the mark that starts at {@code from} ("run.index"). */
    static long[] mark(CharSequence text, int from) {
        long[] fields = new long[2];
        int field = 0;
        for (int i = from; i < text.length() && field < fields.length; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                field++;
            } else if (Character.isDigit(c)) {
                fields[field] = fields[field] * 10 + (c - '0');
            } else {
                break;
            }
        }
        return fields;
    }

    /** What one run measured, as printed. */
    record Result(long sent, long received, Percentiles latency) {
        long lost() {
            return sent - received;
        }
    }
}
