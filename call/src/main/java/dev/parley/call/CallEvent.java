package dev.parley.call;

/**
 * What can happen to a call. Signaling messages and WebRTC state changes are translated into these in one place
 * each, so the state machine sees only its own vocabulary.
 */
public enum CallEvent {
    /** We sent an invite. */
    DIAL,
    /** An invite arrived. */
    INVITED,
    /** The callee's device rings (caller side); informational. */
    REMOTE_RINGING,
    /** The callee accepted (caller side). */
    REMOTE_ACCEPTED,
    /** The local user accepted (callee side). */
    ACCEPTED,
    /** Glare: our unanswered call crossed the peer's call to us, and we take theirs (caller side). */
    CROSSED,
    /** ICE connected and media flows (first time, or again after a restart). */
    MEDIA_CONNECTED,
    /** ICE disconnected or failed while connected. */
    MEDIA_INTERRUPTED,
    /** The call ends, for whatever reason. */
    END
}
