package dev.parley.call;

/** Where a call stands. The allowed moves between states are {@link CallStateMachine#next}. */
public enum CallState {
    /** Created, nothing sent or received yet. */
    IDLE,
    /** Outgoing: the invite is out, waiting for the callee to answer. */
    DIALING,
    /** Incoming: the invite is in, waiting for the local user to answer. */
    RINGING,
    /** Answered: SDP and ICE candidates are being exchanged, media not flowing yet. */
    CONNECTING,
    /** Media flows. */
    CONNECTED,
    /** Media stopped flowing (ICE disconnected or failed); trying an ICE restart. */
    RECONNECTING,
    /** Over, for the {@link EndReason} the session holds. Final. */
    ENDED
}
