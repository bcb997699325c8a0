package dev.parley.signaling.client;

import dev.parley.signaling.protocol.ErrorCode;

/** Signing in failed for good, or the client was closed. */
public final class SignalingException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public SignalingException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** The server's error code, or null when the client itself gave up (closed). */
    public ErrorCode code() {
        return code;
    }
}
