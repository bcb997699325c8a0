package dev.parley.signaling.server;

import java.util.ArrayList;
import java.util.List;

/**
 * What the {@link CallRouter} remembers of one call so that it can route it: the caller's device, the callee,
 * which of the callee's devices accepted (null while ringing on all of them), and what the caller sent for the
 * media before then (its early offer and candidates), held for the device that accepts. Guarded by the
 * {@link Hub}'s lock.
 */
final class CallRoute {
    /** At most this much of the caller's early offer and candidates is held (an offer is ≤ 60 KiB, candidates ~0.3 KiB). */
    static final int HELD_LIMIT_CHARS = 128 * 1024;

    static final int HELD_LIMIT_MESSAGES = 64;
    final List<String> held = new ArrayList<>();
    int heldChars;
    final String callId;
    final String caller;
    final String callerDevice;
    final String callee;
    final long createdNanos;
    String calleeDevice;

    CallRoute(String callId, String caller, String callerDevice, String callee, long createdNanos) {
        this.callId = callId;
        this.caller = caller;
        this.callerDevice = callerDevice;
        this.callee = callee;
        this.createdNanos = createdNanos;
    }

    boolean answered() {
        return calleeDevice != null;
    }

    /** Holds an early media message of the caller's until a device accepts; false when over the limit. */
    boolean hold(String encoded) {
        if (held.size() >= HELD_LIMIT_MESSAGES || heldChars + encoded.length() > HELD_LIMIT_CHARS) {
            return false;
        }
        held.add(encoded);
        heldChars += encoded.length();
        return true;
    }
}
