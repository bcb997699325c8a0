package dev.parley.signaling.protocol;

import java.util.Locale;

/**
 * Why a call ends, as the {@code reason} of {@link Cancel}, {@link Decline} and {@link Hangup} says it on the wire
 * (PROTOCOL.md, "call messages"). The field stays free text on the wire: a reason this version does not know
 * reads as {@link #OTHER} and is relayed unchanged (version rules: unknown values are tolerated).
 */
public enum EndCause {
    /** hangup: the sender hung up. */
    HUNG_UP,
    /** decline: the callee refused. */
    DECLINED,
    /** cancel: the caller gave up before an answer. */
    CANCELLED,
    /** cancel: nobody answered in time (the caller's timer, or the server's sweep). */
    NO_ANSWER,
    /** cancel: both called each other; this call lost (PROTOCOL.md, glare). */
    GLARE,
    /** cancel, from the server: another device of the callee answered. */
    ANSWERED_ELSEWHERE,
    /** cancel, from the server: another device of the callee declined. */
    DECLINED_ELSEWHERE,
    /** cancel, from the server: the caller's device went away before an answer. */
    CALLER_UNAVAILABLE,
    /** hangup: no path between the peers was found. */
    CONNECTION_FAILED,
    /** hangup: media stopped and did not come back. */
    CONNECTION_LOST,
    /** hangup or cancel: the sender could not use a description it received (malformed, or nothing in common). */
    INCOMPATIBLE,
    /** No reason, or one this version does not know. */
    OTHER;

    /** The wire form: lower case with hyphens ({@code answered-elsewhere}). */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Reads a reason from the wire; null, unknown or malformed text is {@link #OTHER}, never an error. */
    public static EndCause of(String reason) {
        if (reason == null || reason.isEmpty() || reason.length() > 64) {
            return OTHER;
        }
        String name = reason.toUpperCase(Locale.ROOT).replace('-', '_');
        for (EndCause c : values()) {
            if (c != OTHER && c.name().equals(name)) {
                return c;
            }
        }
        return OTHER;
    }
}
