package dev.parley.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for a condition instead of sleeping for a guess. The condition is polled every 20 ms until it holds or
 * the time is up; then the test fails with the message, which is built only then (so it can show the state that
 * did not change). An exception thrown by the condition is not a "no": it ends the wait and fails the test.
 */
public final class Await {
    private static final long POLL_MILLIS = 20;

    private Await() {}

    public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get() + " (waited " + timeout.toMillis() + " ms)");
            }
            pause();
        }
    }

    public static void until(BooleanSupplier condition, Duration timeout, String failure) {
        until(condition, timeout, () -> failure);
    }

    /** Polls {@code value} until it matches; returns the matching value. */
    public static <T> T value(
            Supplier<T> value, Predicate<? super T> match, Duration timeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = value.get();
            if (v != null && match.test(v)) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get() + " (waited " + timeout.toMillis() + " ms; last: " + v + ")");
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
