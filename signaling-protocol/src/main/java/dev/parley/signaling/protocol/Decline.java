package dev.parley.signaling.protocol;

/** The callee refuses the call. */
public record Decline(String callId, String from, String to, String reason) implements CallMessage {
    public Decline {
        Checks.route(callId, from, to);
        Checks.text(reason, "reason", Checks.MAX_TEXT);
    }

    @Override
    public Decline withFrom(String from) {
        return new Decline(callId, from, to, reason);
    }
}
