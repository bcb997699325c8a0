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
    private final long[] crossLatencies; // of those, the messages between two server nodes
    private final AtomicInteger crossSamples = new AtomicInteger();
    private final long[] sameLatencies; // and the messages within one node
    private final AtomicInteger sameSamples = new AtomicInteger();

    RateRun(int id, SendSchedule schedule, long messages) {
        this.id = id;
        this.schedule = schedule;
        this.latencies = new long[(int) Math.min(messages, 50_000_000)];
        this.crossLatencies = new long[latencies.length];
        this.sameLatencies = new long[latencies.length];
    }

    void receivedAt(long index, long nowNanos) {
        receivedAt(index, nowNanos, false);
    }

    /** @param crossNode whether the message went between two server nodes (a cluster's run) */
    void receivedAt(long index, long nowNanos, boolean crossNode) {
        long latency = schedule.latencyNanos(index, nowNanos);
        int slot = samples.getAndIncrement();
        if (slot < latencies.length) {
            latencies[slot] = latency;
        }
        long[] kind = crossNode ? crossLatencies : sameLatencies;
        int k = (crossNode ? crossSamples : sameSamples).getAndIncrement();
        if (k < kind.length) {
            kind[k] = latency;
        }
        received.incrementAndGet();
        lastReceived.accumulateAndGet(nowNanos, Math::max);
    }

    long[] latencies() {
        return Arrays.copyOf(latencies, Math.min(samples.get(), latencies.length));
    }

    /** The latencies of the messages that went between two server nodes. */
    long[] crossNodeLatencies() {
        return Arrays.copyOf(crossLatencies, Math.min(crossSamples.get(), crossLatencies.length));
    }

    /** The latencies of the messages whose two parties were on one node. */
    long[] sameNodeLatencies() {
        return Arrays.copyOf(sameLatencies, Math.min(sameSamples.get(), sameLatencies.length));
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
