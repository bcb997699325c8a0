package dev.parley.signaling.client;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Timers whose tasks run on a client's serial loop, never on the shared timer thread, so that a timeout is one
 * more event in the loop's order and never races a message. An interface so that tests can step time by hand.
 */
interface LoopTimers {

    /** Runs {@code task} on the loop once, after {@code delay}. */
    Timer after(Duration delay, Runnable task);

    /** Runs {@code task} on the loop every {@code period}, the first time one period from now. */
    Timer every(Duration period, Runnable task);

    /** A scheduled task. */
    interface Timer {
        /** Stops it from being handed to the loop again; a run already handed over still happens. */
        void cancel();
    }

    /** Timers on {@code timers} (millisecond resolution) that hand their tasks to {@code loop}. */
    static LoopTimers on(ScheduledExecutorService timers, Executor loop) {
        return new LoopTimers() {
            @Override
            public Timer after(Duration delay, Runnable task) {
                ScheduledFuture<?> f =
                        timers.schedule(() -> loop.execute(task), delay.toMillis(), TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public Timer every(Duration period, Runnable task) {
                ScheduledFuture<?> f = timers.scheduleAtFixedRate(
                        () -> loop.execute(task), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }
        };
    }
}
