package dev.parley.signaling.protocol;

/**
 * A refusal.
 *
 * @param code              what went wrong
 * @param message           a human-readable explanation (English)
 * @param inReplyTo         the {@code type} of the message that caused it, when known
 * @param callId            the call the refused message was about, when known
 * @param retryAfterSeconds for {@link ErrorCode#RATE_LIMITED}: how long to wait before trying again, when the
 *                          server knows; null (absent on the wire) otherwise. An optional field added within
 *                          version 1: older receivers ignore it
 */
public record ErrorMessage(ErrorCode code, String message, String inReplyTo, String callId, Integer retryAfterSeconds)
        implements Message {
    public ErrorMessage {
        Checks.required(code, "code");
        message = Checks.text(message == null ? "" : message, "message", 1024);
        Checks.text(inReplyTo, "inReplyTo", 64);
        Checks.text(callId, "callId", 64);
        if (retryAfterSeconds != null && retryAfterSeconds < 0) {
            throw new IllegalArgumentException("field 'retryAfterSeconds' must not be negative");
        }
    }

    /** An error without a retry-after. */
    public ErrorMessage(ErrorCode code, String message, String inReplyTo, String callId) {
        this(code, message, inReplyTo, callId, null);
    }

    public static ErrorMessage of(ErrorCode code, String message) {
        return new ErrorMessage(code, message, null, null);
    }
}
