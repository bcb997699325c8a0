package dev.parley.media;

import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns successive {@code getStats} reports of one peer connection into {@link CallStats}. Rates (bitrate, loss)
 * are differences against the previous report, so one reader serves one connection, fed in order. Attribute
 * names follow W3C webrtc-stats; webrtc-java 0.14.0 gives counters as Integer, Long or BigInteger, so every
 * number is read through {@link Number}.
 */
public final class StatsReader {
    private record Sample(
            long timestampMicros,
            long bytes,
            long packets,
            long lost,
            double jbDelay,
            double jbTarget,
            long jbEmitted) {}

    private final Map<String, Sample> previous = new HashMap<>();

    private final Map<String, String> receivedTrackIds = new HashMap<>();

    /**
     * Names the track received in media section {@code mid} (from {@code onTrack}). A receiving track's own id is
     * local and random in Unified Plan, so received streams would otherwise carry no useful name.
     */
    public void nameReceivedTrack(String mid, String trackId) {
        receivedTrackIds.put(mid, trackId);
    }

    /** Reads one report. Not thread-safe: call it from one thread (the call's). */
    public CallStats read(RTCStatsReport report) {
        Map<String, RTCStats> all = report.getStats();
        List<CallStats.Stream> streams = new ArrayList<>();
        for (RTCStats s : all.values()) {
            if (s.getType() == RTCStatsType.OUTBOUND_RTP || s.getType() == RTCStatsType.INBOUND_RTP) {
                streams.add(stream(s, all));
            }
        }
        streams.sort((a, b) -> (a.outbound() ? "0" : "1")
                .concat(a.kind())
                .concat(a.trackId())
                .compareTo((b.outbound() ? "0" : "1").concat(b.kind()).concat(b.trackId())));
        previous.keySet().retainAll(all.keySet());

        double rttMs = -1;
        RTCStats pair = selectedPair(all);
        if (pair != null && pair.getAttributes().get("currentRoundTripTime") instanceof Number rtt) {
            rttMs = rtt.doubleValue() * 1000;
        }
        CallStats.Route route = route(all, pair);
        long received = 0;
        for (RTCStats s : all.values()) {
            if (s.getType() == RTCStatsType.TRANSPORT) {
                received += number(s, "bytesReceived");
            }
        }
        List<CallStats.Candidate> candidates = new ArrayList<>();
        for (RTCStats s : all.values()) {
            boolean local = s.getType() == RTCStatsType.LOCAL_CANDIDATE;
            if (local || s.getType() == RTCStatsType.REMOTE_CANDIDATE) {
                candidates.add(
                        new CallStats.Candidate(local, string(s, "candidateType"), address(s), string(s, "protocol")));
            }
        }
        candidates.sort(Comparator.comparing((CallStats.Candidate c) -> !c.local())
                .thenComparing(CallStats.Candidate::type)
                .thenComparing(CallStats.Candidate::address));
        return new CallStats(List.copyOf(streams), rttMs, route, received, List.copyOf(candidates));
    }

    private CallStats.Stream stream(RTCStats s, Map<String, RTCStats> all) {
        boolean out = s.getType() == RTCStatsType.OUTBOUND_RTP;
        String kind = string(s, "kind");
        long bytes = number(s, out ? "bytesSent" : "bytesReceived");
        long packets = number(s, out ? "packetsSent" : "packetsReceived");
        long lost;
        double jitterMs;
        if (out) {
            // What the peer reports back about our stream (RTCP receiver reports).
            RTCStats remote = all.get(string(s, "remoteId"));
            lost = remote == null ? 0 : number(remote, "packetsLost");
            jitterMs = remote == null ? 0 : decimal(remote, "jitter") * 1000;
        } else {
            lost = number(s, "packetsLost");
            jitterMs = decimal(s, "jitter") * 1000;
        }
        long now = s.getTimestamp();
        // Received streams: seconds spent in the jitter buffer (and aimed at) summed over every frame or sample
        // it let out; their growth over the interval, divided by what came out, is the delay of this interval.
        double jbDelay = decimal(s, "jitterBufferDelay");
        double jbTarget = decimal(s, "jitterBufferTargetDelay");
        long jbEmitted = number(s, "jitterBufferEmittedCount");
        Sample before = previous.put(s.getId(), new Sample(now, bytes, packets, lost, jbDelay, jbTarget, jbEmitted));
        long bitrate = 0;
        double loss = 0;
        double jitterBufferMs = -1;
        double targetDelayMs = -1;
        if (before != null && now > before.timestampMicros()) {
            bitrate = Math.max(0, (bytes - before.bytes()) * 8_000_000 / (now - before.timestampMicros()));
            long expected = (packets - before.packets()) + (lost - before.lost());
            loss = expected <= 0 ? 0 : 100.0 * Math.max(0, lost - before.lost()) / expected;
            long emitted = jbEmitted - before.jbEmitted();
            if (!out && emitted > 0 && jbDelay >= before.jbDelay() && jbTarget >= before.jbTarget()) {
                jitterBufferMs = 1000 * (jbDelay - before.jbDelay()) / emitted;
                targetDelayMs = 1000 * (jbTarget - before.jbTarget()) / emitted;
            } // else a counter went back (a new stream under the same id): no figure for this interval
        }
        RTCStats codec = all.get(string(s, "codecId"));
        String mime = codec == null ? "" : string(codec, "mimeType");
        String trackId;
        if (out) {
            RTCStats source = all.get(string(s, "mediaSourceId"));
            trackId = source == null ? string(s, "mid") : string(source, "trackIdentifier");
        } else {
            trackId = receivedTrackIds.getOrDefault(string(s, "mid"), string(s, "mid"));
        }
        return new CallStats.Stream(
                kind,
                out,
                trackId,
                mime.substring(mime.indexOf('/') + 1),
                bitrate,
                bytes,
                packets,
                lost,
                loss,
                jitterMs,
                number(s, out ? "framesSent" : "framesDecoded"),
                decimal(s, "framesPerSecond"),
                (int) number(s, "frameWidth"),
                (int) number(s, "frameHeight"),
                jitterBufferMs,
                targetDelayMs);
    }

    /** The connection's route (its selected candidate pair) in {@code report}; null before it has one. */
    public static CallStats.Route route(RTCStatsReport report) {
        Map<String, RTCStats> all = report.getStats();
        return route(all, selectedPair(all));
    }

    private static CallStats.Route route(Map<String, RTCStats> all, RTCStats pair) {
        if (pair == null) {
            return null;
        }
        RTCStats local = all.get(string(pair, "localCandidateId"));
        RTCStats remote = all.get(string(pair, "remoteCandidateId"));
        if (local == null || remote == null) {
            return null;
        }
        return new CallStats.Route(
                string(local, "candidateType"),
                address(local),
                string(remote, "candidateType"),
                address(remote),
                string(local, "protocol"),
                string(local, "relayProtocol"));
    }

    private static RTCStats selectedPair(Map<String, RTCStats> all) {
        for (RTCStats s : all.values()) {
            if (s.getType() == RTCStatsType.TRANSPORT) {
                RTCStats pair = all.get(string(s, "selectedCandidatePairId"));
                if (pair != null) {
                    return pair;
                }
            }
        }
        return null;
    }

    private static String address(RTCStats candidate) {
        String ip = string(candidate, "address");
        if (ip.isEmpty()) {
            ip = string(candidate, "ip");
        }
        String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip; // IPv6
        return host + ":" + number(candidate, "port");
    }

    private static String string(RTCStats s, String name) {
        Object v = s.getAttributes().get(name);
        return v == null ? "" : v.toString();
    }

    private static long number(RTCStats s, String name) {
        return s.getAttributes().get(name) instanceof Number n ? n.longValue() : 0;
    }

    private static double decimal(RTCStats s, String name) {
        return s.getAttributes().get(name) instanceof Number n ? n.doubleValue() : 0;
    }
}
