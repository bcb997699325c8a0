package dev.parley.signaling.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration MIN = Duration.ofMillis(250);
    private static final Duration MAX = Duration.ofSeconds(30);

    private static List<Long> delays(Backoff backoff, int n) {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            delays.add(backoff.nextDelayMillis());
        }
        return delays;
    }

    @Test
    void theLongestDelaysDoubleFromTheMinimumUpToTheMaximum() {
        Backoff luckiest = new Backoff(MIN, MAX, bound -> bound - 1); // always the top of the range
        assertEquals(
                List.of(250L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L), delays(luckiest, 9));
    }

    @Test
    void theShortestDelaysAreHalfAStep() {
        Backoff unluckiest = new Backoff(MIN, MAX, bound -> 0); // always the bottom of the range
        assertEquals(
                List.of(125L, 250L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 15_000L, 15_000L), delays(unluckiest, 9));
    }

    @Test
    void equalJitterDrawsFromTheUpperHalfOfEachStep() {
        SplittableRandom random = new SplittableRandom(42);
        Backoff backoff = new Backoff(MIN, MAX, random::nextLong);
        long step = MIN.toMillis();
        boolean spread = false;
        List<Long> firsts = new ArrayList<>();
        for (int run = 0; run < 200; run++) {
            backoff.reset();
            firsts.add(backoff.nextDelayMillis());
        }
        for (long d : firsts) {
            assertTrue(d >= step / 2 && d <= step, d + " outside [125, 250]");
            spread |= d != firsts.get(0);
        }
        assertTrue(spread, "the delays are random");
        List<Long> later = delays(backoff, 30); // attempts 2 to 31: the cap holds, the shift never overflows
        for (int i = 0; i < later.size(); i++) {
            long s = Math.min(MAX.toMillis(), MIN.toMillis() << Math.min(i + 1, 20));
            long d = later.get(i);
            assertTrue(d >= s / 2 && d <= s, "attempt " + (i + 2) + ": " + d + " outside [" + s / 2 + ", " + s + "]");
        }
    }

    @Test
    void resetStartsAgainFromTheMinimum() {
        Backoff backoff = new Backoff(MIN, MAX, bound -> bound - 1);
        delays(backoff, 5);
        backoff.reset();
        assertEquals(List.of(250L, 500L), delays(backoff, 2));
    }

    @Test
    void aZeroMinimumRetriesAtOnceAndStaysThere() {
        Backoff none = new Backoff(Duration.ZERO, Duration.ZERO, bound -> bound - 1);
        assertEquals(List.of(0L, 0L, 0L), delays(none, 3));
    }

    @Test
    void anOddStepKeepsTheDelayWithinIt() {
        Backoff odd = new Backoff(Duration.ofMillis(5), Duration.ofMillis(5), bound -> bound - 1);
        assertEquals(4L, odd.nextDelayMillis(), "5 / 2 + (5 / 2): never more than the step");
        Backoff oddLow = new Backoff(Duration.ofMillis(5), Duration.ofMillis(5), bound -> 0);
        assertEquals(2L, oddLow.nextDelayMillis());
    }
}
