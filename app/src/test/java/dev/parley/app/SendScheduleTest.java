package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SendScheduleTest {
    private static final long MS = 1_000_000L;

    @Test
    void messagesAreDueAtEvenIntervalsFromTheStart() {
        SendSchedule s = new SendSchedule(1_000 * MS, 1000); // one a millisecond
        assertEquals(1_000 * MS, s.scheduledAt(0));
        assertEquals(1_001 * MS, s.scheduledAt(1));
        assertEquals(2_000 * MS, s.scheduledAt(1000));
    }

    @Test
    void dueByCountsExactlyTheMessagesScheduledAtOrBeforeNow() {
        for (int rate : new int[] {1, 3, 7, 200, 1000, 12_345}) {
            SendSchedule s = new SendSchedule(5 * MS, rate);
            assertEquals(0, s.dueBy(5 * MS - 1), "before the start, rate " + rate);
            for (long now = 5 * MS; now < 5 * MS + 3_000 * MS; now += 997_331) {
                long due = s.dueBy(now);
                assertTrue(due >= 1, "message 0 is due at the start");
                assertTrue(s.scheduledAt(due - 1) <= now, "the last one counted is due, rate " + rate);
                assertTrue(s.scheduledAt(due) > now, "the next one is not yet due, rate " + rate);
            }
        }
    }

    @Test
    void aSenderThatFallsBehindCountsLatencyFromWhenTheMessageWasDue() {
        // 1000 a second; the sender stalls 10 ms, sends messages 0..9 in a burst at 10 ms, each arrives 0.5 ms later.
        SendSchedule s = new SendSchedule(0, 1000);
        long sentAt = 10 * MS;
        long receivedAt = sentAt + MS / 2;
        // Measured from the actual send, every one would look like 0.5 ms; from the schedule, message 0 waited 10.5 ms.
        assertEquals(10 * MS + MS / 2, s.latencyNanos(0, receivedAt));
        assertEquals(MS + MS / 2, s.latencyNanos(9, receivedAt));
        assertEquals(10, s.dueBy(sentAt - 1), "ten were due before the burst");
    }

    @Test
    void aRateBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SendSchedule(0, 0));
    }
}
