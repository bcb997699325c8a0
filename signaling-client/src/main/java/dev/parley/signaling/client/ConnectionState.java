package dev.parley.signaling.client;

/** Where a {@link SignalingClient} stands. */
public enum ConnectionState {
    /** Created, {@code connect()} not yet called. */
    IDLE,
    /** First connection and sign-in under way. */
    CONNECTING,
    /** Signed in; messages flow. */
    CONNECTED,
    /** Lost the connection; trying again with backoff, queuing messages. */
    RECONNECTING,
    /** Gave up for a reason retrying cannot fix (credentials refused, replaced by the same device). */
    FAILED,
    /** Closed by its owner. */
    CLOSED;

    public boolean isTerminal() {
        return this == FAILED || this == CLOSED;
    }
}
