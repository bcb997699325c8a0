package dev.parley.signaling.protocol;

/** An SDP answer to an {@link Offer}. */
public record Answer(String callId, String from, String to, String sdp) implements CallMessage {
    public Answer {
        Checks.route(callId, from, to);
        Checks.requiredText(sdp, "sdp", Checks.MAX_SDP);
    }

    @Override
    public Answer withFrom(String from) {
        return new Answer(callId, from, to, sdp);
    }
}
