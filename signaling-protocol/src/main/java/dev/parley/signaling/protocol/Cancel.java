package dev.parley.signaling.protocol;

/** The caller gives up before the call was answered; from the server, also "answered elsewhere". */
public record Cancel(String callId, String from, String to, String reason) implements CallMessage {
    public Cancel {
        Checks.route(callId, from, to);
        Checks.text(reason, "reason", Checks.MAX_TEXT);
    }

    /** From a typed cause (its wire form becomes the reason). */
    public Cancel(String callId, String from, String to, EndCause cause) {
        this(callId, from, to, cause.wire());
    }

    /** The reason, typed; {@link EndCause#OTHER} when absent or unknown to this version. */
    public EndCause cause() {
        return EndCause.of(reason);
    }

    @Override
    public Cancel withFrom(String from) {
        return new Cancel(callId, from, to, reason);
    }
}
