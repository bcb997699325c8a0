package dev.parley.call;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The timers of one call, all on its thread and used only there: one deadline at a time (no answer, connect,
 * lost), the statistics tick, and the re-send of an unanswered ICE restart offer. A part of {@link CallSession}.
 */
final class SessionTimers {
    private final ScheduledExecutorService thread;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> tick;
    private ScheduledFuture<?> resend;

    SessionTimers(ScheduledExecutorService thread) {
        this.thread = thread;
    }

    /** Runs {@code task} after {@code after} unless cancelled first; replaces the deadline set before. */
    void deadline(Duration after, Runnable task) {
        cancelDeadline();
        deadline = thread.schedule(task, after.toMillis(), TimeUnit.MILLISECONDS);
    }

    void cancelDeadline() {
        deadline = cancel(deadline);
    }

    /** Runs {@code task} every {@code period} (the statistics); replaces the tick set before. */
    void tick(Duration period, Runnable task) {
        tick = cancel(tick);
        tick = thread.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} every {@code period} until {@link #stopResend()} (the restart offer). */
    void resend(Duration period, Runnable task) {
        resend = cancel(resend);
        resend = thread.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stopResend() {
        resend = cancel(resend);
    }

    /** Stops the tick and the re-send (the deadline is cancelled on its own). */
    void stopMediaTimers() {
        stopResend();
        tick = cancel(tick);
    }

    private static ScheduledFuture<?> cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
        return null;
    }
}
