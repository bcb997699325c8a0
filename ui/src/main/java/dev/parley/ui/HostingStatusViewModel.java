package dev.parley.ui;

import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, while the built-in server is open to the local network, that this computer hosts calls and how many others
 * are signed in to it, so hosting is never forgotten on. The server is asked once a second on {@code timer} (it
 * has no events to listen to); the answer comes to the FX thread only when it changed.
 */
public final class HostingStatusViewModel {
    private static final Logger log = LoggerFactory.getLogger(HostingStatusViewModel.class);
    private final LocalServer local;
    private final Messages text;
    private final Executor fx;
    private final ScheduledExecutorService timer;
    private final SimpleStringProperty status = new SimpleStringProperty();
    private Future<?> polling; // FX thread
    private int last = -1; // the timer's thread: -1 not hosting

    /**
     * @param local the built-in server, or null (nothing to say)
     * @param timer where the server is asked (never the FX thread); may be null when {@code local} is
     */
    public HostingStatusViewModel(LocalServer local, Messages text, Executor fx, ScheduledExecutorService timer) {
        this.local = local;
        this.text = text;
        this.fx = fx;
        this.timer = timer;
    }

    /** "Hosting calls on this network · others signed in: N", or null when not hosting. */
    public ReadOnlyStringProperty status() {
        return status;
    }

    /** Starts watching. FX thread; idempotent. */
    public void start() {
        if (local != null && polling == null) {
            polling = timer.scheduleWithFixedDelay(this::poll, 0, 1, TimeUnit.SECONDS);
        }
    }

    private void poll() {
        int now;
        try {
            now = local.hostingOnNetwork() ? local.othersSignedIn() : -1;
        } catch (RuntimeException e) { // a failed look must not end the watching
            log.warn("Cannot read the built-in server's status: {}", e.toString());
            return;
        }
        if (now != last) {
            last = now;
            fx.execute(() -> status.set(now < 0 ? null : text.get("hosting.status", now)));
        }
    }

    /** Stops watching. FX thread; idempotent. */
    public void close() {
        if (polling != null) {
            polling.cancel(false);
            polling = null;
        }
    }
}
