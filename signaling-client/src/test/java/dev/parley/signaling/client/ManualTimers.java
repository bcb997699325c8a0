package dev.parley.signaling.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link LoopTimers} on a clock that moves only in {@link #advance}, which runs what falls due on the test thread. */
final class ManualTimers implements LoopTimers {
    /** Far from zero, as {@link System#nanoTime()} is (zero means "no ping out" to the keep-alive). */
    private long now = TimeUnit.DAYS.toNanos(1);

    private final List<Scheduled> scheduled = new ArrayList<>();

    private final class Scheduled implements Timer {
        final Runnable task;
        final long period;
        long due;
        boolean cancelled;

        Scheduled(Runnable task, long delay, long period) {
            this.task = task;
            this.due = now + delay;
            this.period = period;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    long nanoTime() {
        return now;
    }

    @Override
    public Timer after(Duration delay, Runnable task) {
        Scheduled s = new Scheduled(task, delay.toNanos(), 0);
        scheduled.add(s);
        return s;
    }

    @Override
    public Timer every(Duration period, Runnable task) {
        Scheduled s = new Scheduled(task, period.toNanos(), period.toNanos());
        scheduled.add(s);
        return s;
    }

    /** Moves the clock on, running each task as its time comes, in time order. */
    void advance(Duration by) {
        long until = now + by.toNanos();
        while (true) {
            scheduled.removeIf(s -> s.cancelled);
            Scheduled next = scheduled.stream()
                    .filter(s -> s.due <= until)
                    .min(Comparator.comparingLong(s -> s.due))
                    .orElse(null);
            if (next == null) {
                break;
            }
            now = next.due;
            if (next.period > 0) {
                next.due += next.period;
            } else {
                scheduled.remove(next);
            }
            next.task.run();
        }
        now = until;
    }
}
