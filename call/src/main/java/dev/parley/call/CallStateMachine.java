package dev.parley.call;

import static dev.parley.call.CallEvent.ACCEPTED;
import static dev.parley.call.CallEvent.CROSSED;
import static dev.parley.call.CallEvent.DIAL;
import static dev.parley.call.CallEvent.END;
import static dev.parley.call.CallEvent.INVITED;
import static dev.parley.call.CallEvent.MEDIA_CONNECTED;
import static dev.parley.call.CallEvent.MEDIA_INTERRUPTED;
import static dev.parley.call.CallEvent.REMOTE_ACCEPTED;
import static dev.parley.call.CallEvent.REMOTE_RINGING;
import static dev.parley.call.CallState.CONNECTED;
import static dev.parley.call.CallState.CONNECTING;
import static dev.parley.call.CallState.DIALING;
import static dev.parley.call.CallState.ENDED;
import static dev.parley.call.CallState.IDLE;
import static dev.parley.call.CallState.RECONNECTING;
import static dev.parley.call.CallState.RINGING;

import java.util.EnumMap;
import java.util.Map;

/**
 * The call lifecycle as one pure function. Every pair not in the table is illegal and throws: a bug to fix, never
 * a state to limp on in. {@code END} is allowed from every state but {@code ENDED}.
 */
public final class CallStateMachine {
    private static final Map<CallState, Map<CallEvent, CallState>> TABLE = new EnumMap<>(CallState.class);

    static {
        allow(IDLE, DIAL, DIALING);
        allow(IDLE, INVITED, RINGING);
        allow(DIALING, REMOTE_RINGING, DIALING);
        allow(DIALING, REMOTE_ACCEPTED, CONNECTING);
        allow(DIALING, CROSSED, CONNECTING); // glare: our call became the peer's, taken at once
        allow(RINGING, ACCEPTED, CONNECTING);
        allow(CONNECTING, MEDIA_CONNECTED, CONNECTED);
        allow(CONNECTING, MEDIA_INTERRUPTED, CONNECTING); // ICE may flap while it is still checking pairs
        allow(CONNECTED, MEDIA_INTERRUPTED, RECONNECTING);
        allow(CONNECTED, MEDIA_CONNECTED, CONNECTED); // a renegotiation reports connected again
        allow(RECONNECTING, MEDIA_CONNECTED, CONNECTED);
        allow(RECONNECTING, MEDIA_INTERRUPTED, RECONNECTING);
        for (CallState s : CallState.values()) {
            if (s != ENDED) {
                allow(s, END, ENDED);
            }
        }
    }

    private CallStateMachine() {}

    private static void allow(CallState from, CallEvent event, CallState to) {
        TABLE.computeIfAbsent(from, s -> new EnumMap<>(CallEvent.class)).put(event, to);
    }

    /** The state after {@code event} in {@code state}; throws {@link IllegalTransitionException} if not allowed. */
    public static CallState next(CallState state, CallEvent event) {
        CallState to = TABLE.getOrDefault(state, Map.of()).get(event);
        if (to == null) {
            throw new IllegalTransitionException(state, event);
        }
        return to;
    }

    /** Whether {@code event} is allowed in {@code state}. */
    public static boolean allows(CallState state, CallEvent event) {
        return TABLE.getOrDefault(state, Map.of()).containsKey(event);
    }

    /** An event that the state does not allow. */
    public static final class IllegalTransitionException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        IllegalTransitionException(CallState state, CallEvent event) {
            super("a call in state " + state + " cannot take " + event);
        }
    }
}
