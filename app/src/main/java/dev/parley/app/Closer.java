package dev.parley.app;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what was added to it in reverse order of adding — dependents before what they depend on — each in its own
 * try: a failure is logged and the rest still close. Idempotent.
 */
final class Closer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Closer.class);
    private final Deque<AutoCloseable> parts = new ArrayDeque<>();

    /** Returns the part, to be closed before everything added earlier. */
    synchronized <T extends AutoCloseable> T add(T part) {
        parts.push(part);
        return part;
    }

    @Override
    public synchronized void close() {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Interrupted while closing {}", part);
            } catch (Exception | LinkageError e) {
                log.warn("Closing {} failed", part, e);
            }
        }
    }
}
