package dev.parley.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndCauseTest {
    @Test
    void theKnownReasonsReadAsTheirCausesAndWriteBackTheSame() {
        List<String> wire = List.of(
                "hung-up",
                "declined",
                "cancelled",
                "no-answer",
                "glare",
                "answered-elsewhere",
                "declined-elsewhere",
                "caller-unavailable",
                "connection-failed",
                "connection-lost",
                "incompatible");
        assertEquals(
                wire,
                Arrays.stream(EndCause.values())
                        .filter(c -> c != EndCause.OTHER)
                        .map(EndCause::wire)
                        .toList());
        for (String reason : wire) {
            assertEquals(reason, EndCause.of(reason).wire());
        }
        assertEquals(EndCause.ANSWERED_ELSEWHERE, new Cancel("c", "s", "bob", "answered-elsewhere").cause());
        assertEquals(EndCause.CONNECTION_LOST, new Hangup("c", "s", "bob", "connection-lost").cause());
    }

    @Test
    void unknownMissingOrOddReasonsAreOtherAndTravelUnchanged() {
        for (String odd : new String[] {null, "", "changed my mind", "ANSWERED_ELSEWHERE ", "other", "x".repeat(300)}) {
            assertEquals(EndCause.OTHER, EndCause.of(odd), String.valueOf(odd));
        }
        MessageCodec codec = new MessageCodec(64 * 1024);
        Cancel future = new Cancel("c-1", "alice", "bob", "moved-to-a-meeting");
        assertEquals(
                future, ((DecodeResult.Decoded) codec.decode(codec.encode(future))).message(), "relayed as it came");
    }
}
