package dev.parley.signaling.protocol;

/** The callee refuses the call. */
public record Decline(String callId, String from, String to, String reason) implements CallMessage {
    public Decline {
        Checks.route(callId, from, to);
        Checks.text(reason, "reason", Checks.MAX_TEXT);
    }

    /** From a typed cause (its wire form becomes the reason). */
    public Decline(String callId, String from, String to, EndCause cause) {
        this(callId, from, to, cause.wire());
    }

    /** The reason, typed; {@link EndCause#OTHER} when absent or unknown to this version. */
    public EndCause cause() {
        return EndCause.of(reason);
    }

    @Override
    public Decline withFrom(String from) {
        return new Decline(callId, from, to, reason);
    }
}
