package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle's arithmetic, on a clock the test steps. */
class SignInThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SignInThrottle throttle = new SignInThrottle(now::get);

    private void advanceSeconds(long s) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    @Test
    void theLockDoublesAfterTheFreeFailuresUpToFifteenMinutes() {
        int free = SignInThrottle.FREE_FAILURES_PER_ADDRESS;
        assertEquals(0, SignInThrottle.lockSeconds(free, free));
        assertEquals(1, SignInThrottle.lockSeconds(free + 1, free));
        assertEquals(2, SignInThrottle.lockSeconds(free + 2, free));
        assertEquals(512, SignInThrottle.lockSeconds(free + 10, free));
        assertEquals(900, SignInThrottle.lockSeconds(free + 11, free));
        assertEquals(900, SignInThrottle.lockSeconds(Integer.MAX_VALUE, free));
    }

    @Test
    void anAddressIsLockedAfterItsFreeFailuresAndFreedWhenTheLockEnds() {
        for (int i = 0; i < SignInThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            assertEquals(0, throttle.secondsToWait("192.0.2.7", "user" + i));
            throttle.failed("192.0.2.7", "user" + i);
        }
        assertEquals(0, throttle.secondsToWait("192.0.2.7", "anyone"), "the free failures are free");
        throttle.failed("192.0.2.7", "anyone");
        assertEquals(1, throttle.secondsToWait("192.0.2.7", "anyone"));
        assertEquals(0, throttle.secondsToWait("198.51.100.1", "anyone"), "another address is not affected");
        advanceSeconds(1);
        assertEquals(0, throttle.secondsToWait("192.0.2.7", "anyone"));
        throttle.failed("192.0.2.7", "anyone");
        assertEquals(2, throttle.secondsToWait("192.0.2.7", "anyone"));
        advanceSeconds(3600);
        assertEquals(0, throttle.secondsToWait("192.0.2.7", "anyone"), "forgotten after an hour");
    }

    @Test
    void anAccountUnderAttackIsLockedForStrangersButNotForItsKnownAddresses() {
        throttle.succeeded("203.0.113.5", "alice"); // alice's home
        List<String> botnet = new ArrayList<>();
        for (int i = 0; i <= SignInThrottle.FREE_FAILURES_PER_ACCOUNT; i++) {
            botnet.add("198.51.100." + i);
        }
        botnet.forEach(a -> throttle.failed(a, "alice")); // one guess each: no address is locked
        assertEquals(0, throttle.secondsToWait("198.51.100.200", "bob"));
        assertTrue(throttle.secondsToWait("198.51.100.200", "alice") >= 1, "a stranger guessing alice waits");
        assertEquals(0, throttle.secondsToWait("203.0.113.5", "alice"), "alice at home is not locked out");
        throttle.failed("203.0.113.5", "alice"); // alice mistypes at home: not an attack on her account
        assertEquals(0, throttle.secondsToWait("203.0.113.5", "alice"));
    }

    @Test
    void pruningForgetsOldRecords() {
        for (int i = 0; i <= SignInThrottle.FREE_FAILURES_PER_ADDRESS; i++) {
            throttle.failed("192.0.2.7", "x");
        }
        assertTrue(throttle.secondsToWait("192.0.2.7", "x") > 0);
        advanceSeconds(3601);
        throttle.prune();
        assertEquals(0, throttle.secondsToWait("192.0.2.7", "x"));
    }
}
