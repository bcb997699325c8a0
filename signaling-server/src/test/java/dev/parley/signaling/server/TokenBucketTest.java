package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.signaling.server.TokenBucket.Verdict;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The rate limiter on a clock that only moves when the test says so. */
class TokenBucketTest {
    /** Starts far from zero, as {@link System#nanoTime()} does. */
    private long now = TimeUnit.DAYS.toNanos(3);

    private final TokenBucket bucket = new TokenBucket(10, 5, () -> now); // 10 a second, bursts of 5

    private void advanceMillis(long ms) {
        now += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    private void takeAll(int n) {
        for (int i = 0; i < n; i++) {
            assertEquals(Verdict.ADMIT, bucket.take(), "message " + i);
        }
    }

    @Test
    void aFullBucketAdmitsABurstAndThenDropsWithAWarning() {
        takeAll(5);
        assertEquals(Verdict.DROP_AND_WARN, bucket.take());
        assertEquals(Verdict.DROP, bucket.take());
    }

    @Test
    void tokensComeBackAtTheRate() {
        takeAll(5);
        advanceMillis(90);
        assertEquals(Verdict.DROP_AND_WARN, bucket.take(), "0.9 of a token is not a token");
        advanceMillis(20); // 1.1 tokens
        assertEquals(Verdict.ADMIT, bucket.take());
        advanceMillis(300); // 3.1 tokens
        takeAll(3);
        assertEquals(Verdict.DROP, bucket.take(), "warned less than a second ago");
    }

    @Test
    void aLongPauseRefillsNoMoreThanTheBurst() {
        takeAll(5);
        advanceMillis(60_000);
        takeAll(5);
        assertEquals(Verdict.DROP_AND_WARN, bucket.take());
    }

    @Test
    void theWarningComesAtMostOnceASecond() {
        takeAll(5);
        assertEquals(Verdict.DROP_AND_WARN, bucket.take());
        for (int i = 0; i < 9; i++) {
            advanceMillis(50); // half a token each time: every other message gets through
            Verdict v = bucket.take();
            assertEquals(i % 2 == 0 ? Verdict.DROP : Verdict.ADMIT, v, "step " + i);
        }
        advanceMillis(551); // just over a second since the warning; the bucket is full again
        takeAll(5);
        assertEquals(Verdict.DROP_AND_WARN, bucket.take());
    }

    @Test
    void tenBurstsOfDropsInARowCutTheConnectionOff() {
        takeAll(5);
        for (int i = 0; i < 50; i++) {
            assertEquals(i == 0 ? Verdict.DROP_AND_WARN : Verdict.DROP, bucket.take(), "drop " + i);
        }
        assertEquals(Verdict.CUT_OFF, bucket.take(), "the 51st drop in a row");
    }

    @Test
    void anAdmittedMessageStartsTheFloodCountAgain() {
        takeAll(5);
        for (int i = 0; i < 50; i++) {
            bucket.take();
        }
        advanceMillis(100);
        assertEquals(Verdict.ADMIT, bucket.take());
        for (int i = 0; i < 50; i++) {
            assertEquals(Verdict.DROP, bucket.take(), "drop " + i);
        }
        assertEquals(Verdict.CUT_OFF, bucket.take());
    }

    @Test
    void aChargeIsPaidBackBeforeTheNextMessage() {
        bucket.charge(7); // 5 - 7 = -2 tokens
        assertEquals(Verdict.DROP_AND_WARN, bucket.take());
        advanceMillis(200); // back to 0
        assertEquals(Verdict.DROP, bucket.take());
        advanceMillis(100);
        assertEquals(Verdict.ADMIT, bucket.take());
    }
}
