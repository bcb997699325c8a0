package dev.parley.app;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.parley.call.EndReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * What the two processes of {@code parley bench call} reported (their {@code --json} event streams), put
 * together call by call, and the figures over a set of calls.
 */
final class CallRecords {
    private CallRecords() {}

    /** One call as both sides reported it. Values are -1 where the call did not get that far. */
    record CallRecord(
            int index,
            boolean ok,
            String failure,
            long connectedMs,
            long firstFrameMs,
            long sent,
            long sentBeforeConnected,
            long received,
            long[] latencyMicros,
            long stampedFrames) {}

    /** The figures of a set of calls, over all their samples. */
    record Phase(
            Percentiles connected,
            Percentiles firstFrame,
            Percentiles latency,
            long sent,
            long sentBeforeConnected,
            long received) {
        static Phase of(List<CallRecord> calls) {
            return new Phase(
                    Percentiles.of(calls.stream()
                            .mapToLong(CallRecord::connectedMs)
                            .filter(v -> v >= 0)
                            .toArray()),
                    Percentiles.of(calls.stream()
                            .mapToLong(CallRecord::firstFrameMs)
                            .filter(v -> v >= 0)
                            .toArray()),
                    Percentiles.of(calls.stream()
                            .flatMapToLong(c -> LongStream.of(c.latencyMicros()))
                            .toArray()),
                    calls.stream().mapToLong(CallRecord::sent).sum(),
                    calls.stream().mapToLong(CallRecord::sentBeforeConnected).sum(),
                    calls.stream().mapToLong(CallRecord::received).sum());
        }
    }

    /**
     * Puts the caller's and the answerer's events together, call by call: the caller's {@code call-result} says
     * which call is which (and whether it went well on its side), the session events carry the call id; a call
     * is ok only if both sides ended it normally. A call with no result at all (the caller died) failed.
     */
    static List<CallRecord> of(List<JsonObject> caller, List<JsonObject> answerer, int callerExit, int calls) {
        Map<String, List<JsonObject>> callerById = byCallId(caller);
        Map<String, List<JsonObject>> answererById = byCallId(answerer);
        Map<Integer, JsonObject> results = new HashMap<>();
        for (JsonObject e : caller) {
            if (kind(e).equals("call-result")) {
                results.put(e.get("call").getAsInt(), e);
            }
        }
        List<CallRecord> records = new ArrayList<>();
        for (int i = 1; i <= calls; i++) {
            JsonObject result = results.get(i);
            if (result == null) {
                records.add(new CallRecord(
                        i,
                        false,
                        "no result from the caller (it exited " + callerExit + ")",
                        -1,
                        -1,
                        0,
                        0,
                        0,
                        new long[0],
                        0));
                continue;
            }
            String id = result.has("callId") ? result.get("callId").getAsString() : null;
            List<JsonObject> mine = id == null ? List.of() : callerById.getOrDefault(id, List.of());
            List<JsonObject> theirs = id == null ? List.of() : answererById.getOrDefault(id, List.of());
            boolean ok = result.get("ok").getAsBoolean();
            String failure = ok ? null : "caller: " + text(result, "failure");
            JsonObject theirEnd = find(theirs, "ended");
            if (ok && theirEnd == null) {
                ok = false;
                failure = "answerer: never reported the end of the call";
            } else if (ok && !normal(theirEnd)) {
                ok = false;
                failure = "answerer: ended: " + text(theirEnd, "reason");
            }
            long connectedMs = -1;
            for (JsonObject e : mine) {
                if (kind(e).equals("state") && text(e, "state").equals("connected")) {
                    connectedMs = e.get("ms").getAsLong();
                    break;
                }
            }
            JsonObject frame = find(mine, "first-remote-frame");
            JsonObject myEnd = find(mine, "ended");
            List<Long> latency = new ArrayList<>();
            long sent = 0;
            long sentEarly = 0;
            long received = 0;
            long stamped = 0;
            for (JsonObject end : new JsonObject[] {myEnd, theirEnd}) {
                if (end == null) {
                    continue;
                }
                sent += longOr(end, "framesSent");
                sentEarly += longOr(end, "framesSentBeforeConnected");
                received += longOr(end, "framesReceived");
                stamped += longOr(end, "latencySamplesTotal");
                if (end.has("latencySamplesMicros")) {
                    for (JsonElement v : end.getAsJsonArray("latencySamplesMicros")) {
                        latency.add(v.getAsLong());
                    }
                }
            }
            records.add(new CallRecord(
                    i,
                    ok,
                    failure,
                    connectedMs,
                    frame == null ? -1 : frame.get("msSinceInvite").getAsLong(),
                    sent,
                    sentEarly,
                    received,
                    latency.stream().mapToLong(Long::longValue).toArray(),
                    stamped));
        }
        return records;
    }

    private static Map<String, List<JsonObject>> byCallId(List<JsonObject> events) {
        Map<String, List<JsonObject>> byId = new HashMap<>();
        for (JsonObject e : events) {
            if (e.has("callId") && !kind(e).equals("call-result")) {
                byId.computeIfAbsent(e.get("callId").getAsString(), k -> new ArrayList<>())
                        .add(e);
            }
        }
        return byId;
    }

    private static JsonObject find(List<JsonObject> events, String kind) {
        return events.stream().filter(e -> kind(e).equals(kind)).findFirst().orElse(null);
    }

    /** Whether an {@code ended} event's reason is one of the happy endings ({@link EndReason#isNormal()}). */
    private static boolean normal(JsonObject ended) {
        String reason = text(ended, "reason");
        return Arrays.stream(EndReason.values())
                .anyMatch(r -> r.isNormal() && r.wireName().equals(reason));
    }

    static String kind(JsonObject e) {
        return text(e, "event");
    }

    static String text(JsonObject e, String name) {
        return e.has(name) ? e.get(name).getAsString() : "";
    }

    private static long longOr(JsonObject e, String name) {
        return e.has(name) ? e.get(name).getAsLong() : 0;
    }

    /** One row of the table: setup times, frame latency and frames of {@code calls}. */
    static void printRow(String label, List<CallRecord> calls) {
        if (calls.isEmpty()) {
            System.out.printf("  %-12s (no warm calls: --calls 1)%n", label);
            return;
        }
        Phase p = Phase.of(calls);
        System.out.printf(
                Locale.ROOT,
                "  %-12s %-27s %-27s %-35s %7d %8s %8d %9s %s%n",
                label,
                counted(p.connected(), 1, 0),
                counted(p.firstFrame(), 1, 0),
                counted(p.latency(), 1000, 1),
                p.sent(),
                "(" + p.sentBeforeConnected() + ")",
                p.received(),
                percent(p.received(), p.sent()),
                percent(p.received(), p.sent() - p.sentBeforeConnected()));
    }

    /** "n  p50 / p95 / p99", or "1  value" for a single sample, or "0  -". */
    private static String counted(Percentiles p, double divisor, int decimals) {
        String values = p.count() == 1
                ? String.format(Locale.ROOT, "%." + decimals + "f", p.p50() / divisor)
                : p.format(divisor, decimals);
        return p.count() + "  " + values;
    }

    private static String percent(long part, long whole) {
        return whole <= 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }
}
