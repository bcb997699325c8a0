package dev.parley.signaling.protocol;

/** Either side ends a call that was accepted. */
public record Hangup(String callId, String from, String to, String reason) implements CallMessage {
    public Hangup {
        Checks.route(callId, from, to);
        Checks.text(reason, "reason", Checks.MAX_TEXT);
    }

    @Override
    public Hangup withFrom(String from) {
        return new Hangup(callId, from, to, reason);
    }
}
