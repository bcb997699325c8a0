package dev.parley.signaling.server;

/**
 * What the {@link CallRouter} remembers of one call so that it can route it: the caller's device, the callee, and
 * which of the callee's devices accepted (null while ringing on all of them). Guarded by the {@link Hub}'s lock.
 */
final class CallRoute {
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
}
