package dev.parley.media;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock of a source that pushes media from Java (a test pattern, a tone, screen captures): one daemon thread
 * running one task at a fixed rate. A failing tick is logged and the next one still runs. {@link #stop()} waits
 * for a tick in progress, so the source may free its native objects right after.
 */
final class Ticker {
    private static final Logger log = LoggerFactory.getLogger(Ticker.class);

    private final String name;
    private final ScheduledExecutorService clock;
    private ScheduledFuture<?> ticking;
    private volatile boolean stopped;

    Ticker(String name) {
        this.name = name;
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} every {@code periodMicros}, from now; does nothing if already started or stopped. */
    synchronized void start(long periodMicros, Runnable task) {
        if (stopped || ticking != null) {
            return;
        }
        ticking = clock.scheduleAtFixedRate(
                () -> {
                    if (stopped) {
                        return; // a tick that starts after stop() never touches the source's native objects
                    }
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.error("{}: a tick failed", name, e); // never let it end the schedule silently
                    }
                },
                0,
                periodMicros,
                TimeUnit.MICROSECONDS);
    }

    /**
     * Stops for good without waiting for a tick in progress (for a source that guards its native objects itself);
     * true for the call that stopped it.
     */
    boolean stopWithoutWaiting() {
        synchronized (this) {
            if (stopped) {
                return false;
            }
            stopped = true;
            if (ticking != null) {
                ticking.cancel(false);
            }
        }
        clock.shutdown();
        return true;
    }

    /**
     * Stops for good and waits (up to 2 s) for a tick in progress. Returns true for the call that stopped it, so
     * its source frees its native objects exactly once; later calls return false at once.
     */
    boolean stop() {
        if (!stopWithoutWaiting()) {
            return false;
        }
        try {
            clock.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
