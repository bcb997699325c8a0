package dev.parley.signaling.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's listener list that survives a bad listener: each event reaches every listener, one at a time and in
 * order, on the client's event executor; a listener that throws is logged and the others still hear the event.
 * Thread-safe; listeners may be added and removed at any time.
 */
final class Listeners {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<SignalingClient.Listener> listeners = new CopyOnWriteArrayList<>();
    private final Executor events;

    /** @param events a serial executor, so that listeners see events in the order they were fired */
    Listeners(Executor events) {
        this.events = events;
    }

    void add(SignalingClient.Listener listener) {
        listeners.add(listener);
    }

    void remove(SignalingClient.Listener listener) {
        listeners.remove(listener);
    }

    /**
     * Calls {@code event} on every listener, later, on the event executor.
     *
     * @param what names the event in the log if a listener fails on it
     */
    void fire(Consumer<SignalingClient.Listener> event, String what) {
        events.execute(() -> listeners.forEach(l -> {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                log.error("A signaling listener failed on {}", what, e);
            }
        }));
    }
}
