package dev.parley.signaling.protocol;

/**
 * One trickled ICE candidate (RFC 8838), or the end of candidates when {@code endOfCandidates} is true and
 * {@code candidate} is absent.
 */
public record Candidate(
        String callId,
        String from,
        String to,
        String sdpMid,
        int sdpMLineIndex,
        String candidate,
        boolean endOfCandidates)
        implements CallMessage {
    public Candidate {
        Checks.route(callId, from, to);
        Checks.text(sdpMid, "sdpMid", 64);
        if (sdpMLineIndex < 0 || sdpMLineIndex > 1024) {
            throw new IllegalArgumentException("field 'sdpMLineIndex' must be between 0 and 1024");
        }
        Checks.text(candidate, "candidate", Checks.MAX_CANDIDATE);
        if (candidate == null && !endOfCandidates) {
            throw new IllegalArgumentException("field 'candidate' is required unless 'endOfCandidates' is true");
        }
    }

    public static Candidate end(String callId, String to) {
        return new Candidate(callId, null, to, null, 0, null, true);
    }

    @Override
    public Candidate withFrom(String from) {
        return new Candidate(callId, from, to, sdpMid, sdpMLineIndex, candidate, endOfCandidates);
    }
}
