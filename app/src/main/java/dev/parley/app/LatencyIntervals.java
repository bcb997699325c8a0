package dev.parley.app;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a call's video latency and jitter-buffer delays move over its length: {@code bench call}'s table for long
 * calls. Built from the {@code stats} events of {@code parley call}/{@code answer --json} (one a second, each with
 * the capture-to-receipt latency of every stamped frame since the one before, and getStats' jitter-buffer and
 * target delays of the last second), on both sides, every call of a run laid over one time axis that starts at
 * each side's own "connected". A delay that creeps up shows as rows that grow and as a positive trend.
 */
final class LatencyIntervals {
    /**
     * One stretch of the calls.
     *
     * @param fromSeconds  start, seconds after connect (inclusive)
     * @param toSeconds    end (exclusive)
     * @param latency      capture-to-receipt latency of every stamped frame received in it, microseconds
     * @param videoJitterBufferMs mean of the per-second video jitter-buffer delays (NaN: none reported)
     * @param videoTargetMs mean of the per-second video target delays
     * @param audioJitterBufferMs mean of the per-second audio jitter-buffer delays
     * @param audioTargetMs mean of the per-second audio target delays
     * @param fps          mean of the per-second received frame rates
     * @param audioChunksPerSecond 10 ms audio chunks played a second (the audio module's playout clock: 100 when
     *                     true), from the growth of the played-chunk count between stats events
     */
    record Row(
            long fromSeconds,
            long toSeconds,
            Percentiles latency,
            double videoJitterBufferMs,
            double videoTargetMs,
            double audioJitterBufferMs,
            double audioTargetMs,
            double fps,
            double audioChunksPerSecond) {}

    /**
     * The table and the whole stretch.
     *
     * @param rows        one a {@code intervalSeconds} from connect, in order
     * @param whole       every sample of the rows together
     * @param trendMsPerMinute least-squares slope of latency over time, every frame one point (ms per minute)
     */
    record Table(List<Row> rows, Row whole, double trendMsPerMinute) {}

    private static final String[] DELAYS = {
        "videoJitterBufferMs", "videoTargetDelayMs", "audioJitterBufferMs", "audioTargetDelayMs", "fps"
    };

    private LatencyIntervals() {}

    /**
     * The table over these sides' events (each side one process's event stream; calls told apart by id), up to
     * {@code callSeconds} after each side's connect (a stats line a side prints while the other hangs up is not a
     * row of its own); the last row covers what is left. Events that are not what {@code call --json} prints are
     * skipped.
     */
    static Table of(List<List<JsonObject>> sides, int intervalSeconds, int callSeconds) {
        if (intervalSeconds < 1 || callSeconds < 1) {
            throw new IllegalArgumentException("an interval and a call of at least 1 s");
        }
        long bucketMs = intervalSeconds * 1000L;
        TreeMap<Long, Bucket> buckets = new TreeMap<>();
        Bucket all = new Bucket();
        Regression trend = new Regression();
        for (List<JsonObject> side : sides) {
            Map<String, Long> connectedAt = new HashMap<>();
            for (JsonObject e : side) {
                try {
                    String id = CallRecords.text(e, "callId");
                    if (CallRecords.kind(e).equals("state")
                            && CallRecords.text(e, "state").equals("connected")
                            && !connectedAt.containsKey(id)) {
                        connectedAt.put(id, e.get("ms").getAsLong());
                    }
                } catch (RuntimeException malformed) {
                    // not a line call --json prints: left out
                }
            }
            Map<String, long[]> lastChunks = new HashMap<>(); // per call: {ms, chunks} of its previous stats event
            for (JsonObject e : side) {
                try {
                    add(e, connectedAt, lastChunks, bucketMs, callSeconds, buckets, all, trend);
                } catch (RuntimeException malformed) {
                    // not a line call --json prints: left out
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        buckets.forEach((k, b) ->
                rows.add(b.row(k * intervalSeconds, Math.min((k + 1) * intervalSeconds, (long) callSeconds))));
        long end = buckets.isEmpty() ? 0 : rows.get(rows.size() - 1).toSeconds();
        return new Table(List.copyOf(rows), all.row(0, end), trend.slope());
    }

    /** One stats line into its bucket, the whole and the trend; anything else is ignored. */
    private static void add(
            JsonObject e,
            Map<String, Long> connectedAt,
            Map<String, long[]> lastChunks,
            long bucketMs,
            int callSeconds,
            TreeMap<Long, Bucket> buckets,
            Bucket all,
            Regression trend) {
        Long connected = connectedAt.get(CallRecords.text(e, "callId"));
        if (!CallRecords.kind(e).equals("stats") || connected == null || !e.has("ms")) {
            return;
        }
        long since = e.get("ms").getAsLong() - connected;
        if (since < 0 || since >= callSeconds * 1000L) {
            return; // set-up, or the hang-up's last second: not part of the call's length
        }
        // Everything read before anything is added: a line that fails half-way adds nothing.
        long[] latencies = new long[0];
        if (e.has("latencyMicros")) {
            JsonArray samples = e.getAsJsonArray("latencyMicros");
            latencies = new long[samples.size()];
            for (int i = 0; i < latencies.length; i++) {
                latencies[i] = samples.get(i).getAsLong();
            }
        }
        double[] values = new double[DELAYS.length + 1];
        for (int i = 0; i < DELAYS.length; i++) {
            JsonElement v = e.get(DELAYS[i]);
            values[i] =
                    v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()
                            ? v.getAsDouble()
                            : Double.NaN;
        }
        values[DELAYS.length] = Double.NaN; // audio chunks a second, from this line and the call's previous one
        if (e.has("audioChunks")) {
            long ms = e.get("ms").getAsLong();
            long chunks = e.get("audioChunks").getAsLong();
            long[] before = lastChunks.put(CallRecords.text(e, "callId"), new long[] {ms, chunks});
            if (before != null && ms > before[0]) {
                values[DELAYS.length] = (chunks - before[1]) * 1000.0 / (ms - before[0]);
            }
        }
        Bucket b = buckets.computeIfAbsent(since / bucketMs, k -> new Bucket());
        for (Bucket into : new Bucket[] {b, all}) {
            into.add(latencies, values);
        }
        for (long micros : latencies) {
            trend.add(since / 60_000.0, micros / 1000.0);
        }
    }

    /** Prints the table under bench call's block for one video size. */
    static void print(Table t, int intervalSeconds) {
        System.out.printf(
                Locale.ROOT,
                "  over the call, every %d s from connect (both directions; latency over every stamped frame,"
                        + " delays the mean of the per-second getStats values):%n",
                intervalSeconds);
        System.out.printf(
                "  %-12s %-34s %-22s %-22s %-6s %s%n",
                "s after", "frame latency ms", "video jitter buffer", "audio jitter buffer", "fps", "audio played");
        System.out.printf(
                "  %-12s %-34s %-22s %-22s %-6s %s%n",
                "connect", "n  p50 / p95 / p99", "delay / target ms", "delay / target ms", "", "10 ms chunks/s");
        for (Row r : t.rows()) {
            printRow(r.fromSeconds() + "-" + r.toSeconds(), r);
        }
        printRow("whole call", t.whole());
        System.out.printf(
                Locale.ROOT,
                "  latency trend %+.2f ms a minute (least squares over every frame); p50 first interval %s, last %s%n",
                t.trendMsPerMinute(),
                t.rows().isEmpty() ? "-" : ms(t.rows().get(0).latency().p50()),
                t.rows().isEmpty()
                        ? "-"
                        : ms(t.rows().get(t.rows().size() - 1).latency().p50()));
    }

    private static void printRow(String label, Row r) {
        System.out.printf(
                Locale.ROOT,
                "  %-12s %-34s %-22s %-22s %-6s %s%n",
                label,
                r.latency().count() + "  " + r.latency().format(1000, 1),
                pair(r.videoJitterBufferMs(), r.videoTargetMs()),
                pair(r.audioJitterBufferMs(), r.audioTargetMs()),
                one(r.fps()),
                one(r.audioChunksPerSecond()));
    }

    private static String one(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String pair(double a, double b) {
        return Double.isNaN(a) ? "-" : String.format(Locale.ROOT, "%.1f / %.1f", a, b);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    /** The samples and per-second values that fall in one stretch. */
    private static final class Bucket {
        private final List<Long> latency = new ArrayList<>();
        private final double[] sums = new double[DELAYS.length + 1]; // the last: audio chunks a second
        private final int[] counts = new int[DELAYS.length + 1];

        /** One stats line: its frames' latencies, and its values (NaN: not reported), in {@link #DELAYS} order. */
        void add(long[] latencies, double[] values) {
            for (long v : latencies) {
                latency.add(v);
            }
            for (int i = 0; i < values.length; i++) {
                if (!Double.isNaN(values[i])) {
                    sums[i] += values[i];
                    counts[i]++;
                }
            }
        }

        Row row(long from, long to) {
            double[] means = new double[DELAYS.length + 1];
            for (int i = 0; i < means.length; i++) {
                means[i] = counts[i] == 0 ? Double.NaN : sums[i] / counts[i];
            }
            return new Row(
                    from, to, Percentiles.of(latency), means[0], means[1], means[2], means[3], means[4], means[5]);
        }
    }

    /** Ordinary least squares of y on x, accumulated point by point. */
    private static final class Regression {
        private long n;
        private double sx;
        private double sy;
        private double sxx;
        private double sxy;

        void add(double x, double y) {
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }

        /** dy/dx; 0 with fewer than two distinct x. */
        double slope() {
            double d = n * sxx - sx * sx;
            return n < 2 || Math.abs(d) < 1e-12 ? 0 : (n * sxy - sx * sy) / d;
        }
    }
}
