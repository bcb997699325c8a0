package dev.parley.signaling.protocol;

/**
 * A refusal.
 *
 * @param code      what went wrong
 * @param message   a human-readable explanation (English)
 * @param inReplyTo the {@code type} of the message that caused it, when known
 * @param callId    the call the refused message was about, when known
 */
public record ErrorMessage(ErrorCode code, String message, String inReplyTo, String callId) implements Message {
    public ErrorMessage {
        Checks.required(code, "code");
        message = Checks.text(message == null ? "" : message, "message", 1024);
        Checks.text(inReplyTo, "inReplyTo", 64);
        Checks.text(callId, "callId", 64);
    }

    public static ErrorMessage of(ErrorCode code, String message) {
        return new ErrorMessage(code, message, null, null);
    }
}
