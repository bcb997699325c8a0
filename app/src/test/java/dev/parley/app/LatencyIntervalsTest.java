package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class LatencyIntervalsTest {

    /** One side of one call: connected at {@code connectedMs}, then a stats event a second for {@code seconds}. */
    private static List<JsonObject> side(String callId, long connectedMs, int seconds, LongUnaryOperator microsAt) {
        List<JsonObject> events = new ArrayList<>();
        JsonObject early = stats(callId, connectedMs - 500, 999_000, 50); // during set-up: left out
        events.add(early);
        JsonObject connected = new JsonObject();
        connected.addProperty("event", "state");
        connected.addProperty("callId", callId);
        connected.addProperty("state", "connected");
        connected.addProperty("ms", connectedMs);
        events.add(connected);
        for (int s = 0; s < seconds; s++) {
            JsonObject e = stats(callId, connectedMs + s * 1000L, microsAt.applyAsLong(s), 20 + s);
            e.addProperty("audioChunks", 99L * s); // a playout clock 1 % slow
            events.add(e);
        }
        return events;
    }

    /** A stats event with 30 frames of the given latency and an audio jitter buffer of {@code audioMs}. */
    private static JsonObject stats(String callId, long ms, long micros, double audioMs) {
        JsonObject e = new JsonObject();
        e.addProperty("event", "stats");
        e.addProperty("callId", callId);
        e.addProperty("ms", ms);
        JsonArray samples = new JsonArray();
        for (int i = 0; i < 30; i++) {
            samples.add(micros);
        }
        e.add("latencyMicros", samples);
        e.addProperty("audioJitterBufferMs", audioMs);
        e.addProperty("audioTargetDelayMs", 20.0);
        e.addProperty("fps", 30.0);
        return e;
    }

    @Test
    void aDelayThatCreepsUpShowsInTheRowsAndTheTrend() {
        // Latency grows 1 ms every second of the call: 60 ms a minute.
        List<JsonObject> caller = side("c1", 2_000, 30, s -> 20_000 + 1_000 * s);
        List<JsonObject> answerer = side("c1", 2_100, 30, s -> 20_000 + 1_000 * s);
        LatencyIntervals.Table t = LatencyIntervals.of(List.of(caller, answerer), 10, 30);

        assertEquals(3, t.rows().size(), "30 s in rows of 10 s");
        LatencyIntervals.Row first = t.rows().get(0);
        assertEquals(0, first.fromSeconds());
        assertEquals(10, first.toSeconds());
        assertEquals(2 * 10 * 30, first.latency().count(), "every frame of both sides, none from set-up");
        assertEquals(24_000, first.latency().p50()); // seconds 0-9: 20..29 ms, each 60 frames; rank 300 is 24 ms
        assertEquals(44_000, t.rows().get(2).latency().p50());
        assertEquals(2 * 30 * 30, t.whole().latency().count());
        assertEquals(49_000, t.whole().latency().max());
        assertEquals(60.0, t.trendMsPerMinute(), 0.01);
        assertEquals(24.5, first.audioJitterBufferMs(), 1e-9, "mean of the per-second values 20..29");
        assertEquals(20.0, first.audioTargetMs(), 1e-9);
        assertTrue(Double.isNaN(first.videoJitterBufferMs()), "no video delays reported: shown as unknown");
        assertEquals(99.0, first.audioChunksPerSecond(), 1e-9);
    }

    @Test
    void aSteadyCallHasNoTrendAndCallsAreLaidOverOneAxisFromTheirOwnConnect() {
        List<JsonObject> calls = new ArrayList<>(side("c1", 1_000, 20, s -> 25_000));
        calls.addAll(side("c2", 40_000, 20, s -> 25_000)); // a second call, much later in the same process
        LatencyIntervals.Table t = LatencyIntervals.of(List.of(calls), 10, 20);
        assertEquals(2, t.rows().size(), "both calls fall in the same two rows");
        assertEquals(2 * 10 * 30, t.rows().get(1).latency().count());
        assertEquals(0.0, t.trendMsPerMinute(), 1e-9);
    }

    @Test
    void anIntervalBelowOneSecondIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LatencyIntervals.of(List.of(), 0, 10));
    }

    @Test
    void theHangUpsLastLineMakesNoRowAndAShortLastIntervalSaysSo() {
        // 25 s of call in rows of 10 s; each side prints one more line as the other hangs up (second 25).
        List<JsonObject> caller = side("c1", 1_000, 26, s -> 20_000);
        LatencyIntervals.Table t = LatencyIntervals.of(List.of(caller), 10, 25);
        assertEquals(3, t.rows().size());
        assertEquals(20, t.rows().get(2).fromSeconds());
        assertEquals(25, t.rows().get(2).toSeconds(), "the last row covers what is left of the call");
        assertEquals(5 * 30, t.rows().get(2).latency().count(), "seconds 20-24 only");
        assertEquals(25, t.whole().toSeconds());
    }

    @Test
    void linesThatAreNotWhatCallPrintsAreSkippedWhole() {
        List<JsonObject> events = new ArrayList<>(side("c1", 1_000, 10, s -> 20_000));
        JsonObject odd = stats("c1", 5_500, 900_000, 10);
        JsonArray broken = new JsonArray();
        broken.add(900_000);
        broken.add("not a number");
        odd.add("latencyMicros", broken); // fails half-way: none of its frames may count
        events.add(odd);
        JsonObject noMs = new JsonObject();
        noMs.addProperty("event", "state");
        noMs.addProperty("callId", "c1");
        noMs.addProperty("state", "connected");
        events.add(0, noMs); // a "connected" with no time
        JsonObject nullDelay = stats("c1", 6_500, 20_000, 10);
        nullDelay.add("audioJitterBufferMs", com.google.gson.JsonNull.INSTANCE);
        events.add(nullDelay);
        LatencyIntervals.Table t = LatencyIntervals.of(List.of(events), 10, 10);
        assertEquals(1, t.rows().size());
        assertEquals(11 * 30, t.whole().latency().count(), "the ten good lines and the one with a null delay");
        assertEquals(20_000, t.whole().latency().max(), "nothing of the broken line");
    }
}
