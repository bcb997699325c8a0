package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.EndCause;
import org.junit.jupiter.api.Test;

/** What the peer's or the server's reasons mean for this side's call and its history. */
class EndReasonTest {
    @Test
    void aCancelledRingIsMissedOnlyWhenNobodyTookTheCall() {
        assertEquals(EndReason.ANSWERED_ELSEWHERE, EndReason.ofCancel(EndCause.ANSWERED_ELSEWHERE));
        assertEquals(EndReason.ANSWERED_ELSEWHERE, EndReason.ofCancel(EndCause.GLARE));
        assertEquals(EndReason.DECLINED_ELSEWHERE, EndReason.ofCancel(EndCause.DECLINED_ELSEWHERE));
        for (EndCause missed :
                new EndCause[] {EndCause.CANCELLED, EndCause.NO_ANSWER, EndCause.CALLER_UNAVAILABLE, EndCause.OTHER}) {
            assertEquals(EndReason.CANCELLED, EndReason.ofCancel(missed), missed.name());
        }
        assertTrue(new CallHistory.Entry("alice", false, 0, 0, "cancelled").missed());
        assertFalse(new CallHistory.Entry("alice", false, 0, 0, "answered-elsewhere").missed());
        assertFalse(new CallHistory.Entry("alice", false, 0, 0, "declined-elsewhere").missed());
    }

    @Test
    void aFailureThePeerReportsIsAFailureHereToo() {
        assertEquals(EndReason.CONNECTION_FAILED, EndReason.ofHangup(EndCause.CONNECTION_FAILED));
        assertEquals(EndReason.CONNECTION_LOST, EndReason.ofHangup(EndCause.CONNECTION_LOST));
        assertEquals(EndReason.REMOTE_HUNG_UP, EndReason.ofHangup(EndCause.HUNG_UP));
        assertEquals(EndReason.REMOTE_HUNG_UP, EndReason.ofHangup(EndCause.OTHER));
        assertEquals("connection-lost", EndReason.CONNECTION_LOST.cause().wire());
        assertEquals("hung-up", EndReason.HUNG_UP.cause().wire());
    }
}
