package dev.parley.signaling.protocol;

/** An SDP offer (RFC 8829 JSEP); also used for renegotiation and ICE restarts. */
public record Offer(String callId, String from, String to, String sdp) implements CallMessage {
    public Offer {
        Checks.route(callId, from, to);
        Checks.requiredText(sdp, "sdp", Checks.MAX_SDP);
    }

    @Override
    public Offer withFrom(String from) {
        return new Offer(callId, from, to, sdp);
    }
}
