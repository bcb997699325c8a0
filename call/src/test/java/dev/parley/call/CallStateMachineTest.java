package dev.parley.call;

import static dev.parley.call.CallEvent.ACCEPTED;
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
import static dev.parley.call.CallStateMachine.next;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallStateMachineTest {

    @Test
    void anOutgoingCallGoesFromDialingToConnectedAndThroughAReconnect() {
        CallState s = next(IDLE, DIAL);
        assertEquals(DIALING, s);
        s = next(s, REMOTE_RINGING);
        assertEquals(DIALING, s);
        s = next(s, REMOTE_ACCEPTED);
        assertEquals(CONNECTING, s);
        s = next(s, MEDIA_CONNECTED);
        assertEquals(CONNECTED, s);
        s = next(s, MEDIA_INTERRUPTED);
        assertEquals(RECONNECTING, s);
        s = next(s, MEDIA_CONNECTED);
        assertEquals(CONNECTED, s);
        assertEquals(ENDED, next(s, END));
    }

    @Test
    void anIncomingCallRingsUntilTheUserAccepts() {
        assertEquals(RINGING, next(IDLE, INVITED));
        assertEquals(CONNECTING, next(RINGING, ACCEPTED));
    }

    @Test
    void everyLiveStateCanEndAndTheEndIsFinal() {
        for (CallState s : CallState.values()) {
            if (s != ENDED) {
                assertEquals(ENDED, next(s, END));
            }
        }
        for (CallEvent e : CallEvent.values()) {
            assertFalse(CallStateMachine.allows(ENDED, e), e.name());
        }
    }

    @Test
    void illegalPairsAreErrorsNotSilentStates() {
        assertThrows(CallStateMachine.IllegalTransitionException.class, () -> next(IDLE, MEDIA_CONNECTED));
        assertThrows(CallStateMachine.IllegalTransitionException.class, () -> next(RINGING, REMOTE_ACCEPTED));
        assertThrows(CallStateMachine.IllegalTransitionException.class, () -> next(DIALING, ACCEPTED));
        assertThrows(CallStateMachine.IllegalTransitionException.class, () -> next(CONNECTED, DIAL));
        assertThrows(CallStateMachine.IllegalTransitionException.class, () -> next(RINGING, CallEvent.CROSSED));
        assertEquals(CONNECTING, next(DIALING, CallEvent.CROSSED)); // glare: we take the peer's call
        assertThrows(CallStateMachine.IllegalTransitionException.class, () -> next(ENDED, END));
        // A call that never connected cannot be "interrupted" into reconnecting.
        assertEquals(CONNECTING, next(CONNECTING, MEDIA_INTERRUPTED));
    }

    @Test
    void onlyHangupsAreNormalEndings() {
        for (EndReason r : EndReason.values()) {
            assertEquals(r == EndReason.HUNG_UP || r == EndReason.REMOTE_HUNG_UP, r.isNormal(), r.name());
        }
        assertEquals("remote-hung-up", EndReason.REMOTE_HUNG_UP.wireName());
        assertTrue(EndReason.valueOf("NO_ANSWER").wireName().equals("no-answer"));
    }
}
