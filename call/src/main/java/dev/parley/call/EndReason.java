package dev.parley.call;

import dev.parley.signaling.protocol.EndCause;
import java.util.Locale;

/** Why a call ended. The wire form (hangup and decline reasons, {@code --json} output) is the lower-case name. */
public enum EndReason {
    /** We hung up. */
    HUNG_UP(true, "you hung up"),
    /** The other side hung up. */
    REMOTE_HUNG_UP(true, "they hung up"),
    /** The callee declined. */
    DECLINED(false, "declined"),
    /** The callee was in another call. */
    BUSY(false, "busy in another call"),
    /** The caller gave up before an answer (for the callee: a missed call). */
    CANCELLED(false, "cancelled before an answer"),
    /** Another device of ours took the call (or, crossing calls, the call went on on another device): not missed. */
    ANSWERED_ELSEWHERE(false, "answered on another device"),
    /** Another device of ours declined the call. */
    DECLINED_ELSEWHERE(false, "declined on another device"),
    /** Nobody answered in time. */
    NO_ANSWER(false, "no answer"),
    /** The callee is not signed in. */
    UNAVAILABLE(false, "not signed in"),
    /** The peers found no path to each other (ICE failed and a restart did not help). */
    CONNECTION_FAILED(false, "no route between you: a relay server is needed"),
    /** The other side vanished mid-call (its network or its process). */
    CONNECTION_LOST(false, "the connection was lost"),
    /** A call description (ours or the peer's) could not be used: malformed, or nothing in common. */
    INCOMPATIBLE(false, "the call could not be set up: a call description was refused"),
    /** The signaling server went away before the call was set up. */
    SIGNALING_LOST(false, "lost the signaling server before the call was set up");

    private final boolean normal;
    private final String description;

    EndReason(boolean normal, String description) {
        this.normal = normal;
        this.description = description;
    }

    /** A plain-English reason for logs and the command line (the desktop app has its own translated texts). */
    public String describe() {
        return description;
    }

    /** True for a call that connected and was hung up by one side: the happy ending. */
    public boolean isNormal() {
        return normal;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** How a ringing call that the peer or the server cancelled ends for us. */
    static EndReason ofCancel(EndCause cause) {
        return switch (cause) {
            case ANSWERED_ELSEWHERE, GLARE -> ANSWERED_ELSEWHERE; // the conversation happens on another device
            case DECLINED_ELSEWHERE -> DECLINED_ELSEWHERE;
            case INCOMPATIBLE -> INCOMPATIBLE;
            default -> CANCELLED; // the caller gave up, nobody answered, the caller went away: missed
        };
    }

    /** How a call the peer hung up ends for us: a failure it reports stays a failure here too. */
    static EndReason ofHangup(EndCause cause) {
        return switch (cause) {
            case CONNECTION_FAILED -> CONNECTION_FAILED;
            case CONNECTION_LOST -> CONNECTION_LOST;
            case INCOMPATIBLE -> INCOMPATIBLE;
            default -> REMOTE_HUNG_UP;
        };
    }

    /** This reason as the wire's cause, for the messages we send. */
    EndCause cause() {
        return switch (this) {
            case HUNG_UP -> EndCause.HUNG_UP;
            case DECLINED -> EndCause.DECLINED;
            case CANCELLED -> EndCause.CANCELLED;
            case NO_ANSWER -> EndCause.NO_ANSWER;
            case CONNECTION_FAILED -> EndCause.CONNECTION_FAILED;
            case CONNECTION_LOST -> EndCause.CONNECTION_LOST;
            case INCOMPATIBLE -> EndCause.INCOMPATIBLE;
            default -> EndCause.OTHER;
        };
    }
}
