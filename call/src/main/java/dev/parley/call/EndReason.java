package dev.parley.call;

/** Why a call ended. The wire form (hangup and decline reasons, {@code --json} output) is the lower-case name. */
public enum EndReason {
    /** We hung up. */
    HUNG_UP(true),
    /** The other side hung up. */
    REMOTE_HUNG_UP(true),
    /** The callee declined. */
    DECLINED(false),
    /** The callee was in another call. */
    BUSY(false),
    /** The caller gave up before an answer (for the callee: a missed call). */
    CANCELLED(false),
    /** Nobody answered in time. */
    NO_ANSWER(false),
    /** The callee is not signed in. */
    UNAVAILABLE(false),
    /** The peers found no path to each other (ICE failed and a restart did not help). */
    CONNECTION_FAILED(false),
    /** The other side vanished mid-call (its network or its process). */
    CONNECTION_LOST(false),
    /** The signaling server went away before the call was set up. */
    SIGNALING_LOST(false);

    private final boolean normal;

    EndReason(boolean normal) {
        this.normal = normal;
    }

    /** True for a call that connected and was hung up by one side: the happy ending. */
    public boolean isNormal() {
        return normal;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
