package dev.parley.signaling.protocol;

/** Either side ends a call that was accepted. */
public record Hangup(String callId, String from, String to, String reason) implements CallMessage {
    public Hangup {
        Checks.route(callId, from, to);
        Checks.text(reason, "reason", Checks.MAX_TEXT);
    }

    /** From a typed cause (its wire form becomes the reason). */
    public Hangup(String callId, String from, String to, EndCause cause) {
        this(callId, from, to, cause.wire());
    }

    /** The reason, typed; {@link EndCause#OTHER} when absent or unknown to this version. */
    public EndCause cause() {
        return EndCause.of(reason);
    }

    @Override
    public Hangup withFrom(String from) {
        return new Hangup(callId, from, to, reason);
    }
}
