package dev.parley.signaling.client;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Predicate;

/**
 * The bounded queue of messages sent while not signed in, sent in order after the next sign-in. When it is full a
 * new message is refused and those already queued are kept, so what goes out later is a prefix of what was sent.
 *
 * <p>Not thread-safe: the client's lock guards it.
 */
final class ResendBuffer {
    private final int limit;
    private final Queue<String> texts = new ArrayDeque<>();

    /** @param limit how many messages it holds; 0 refuses every one */
    ResendBuffer(int limit) {
        this.limit = limit;
    }

    /** Queues an encoded message; false, and nothing queued, if the buffer is full. */
    boolean offer(String text) {
        if (texts.size() >= limit) {
            return false;
        }
        texts.add(text);
        return true;
    }

    /**
     * Sends the queued messages, oldest first. Stops at the first one {@code send} refuses (the link died under
     * us): that one and the rest stay queued for the next sign-in.
     */
    void sendAll(Predicate<String> send) {
        while (!texts.isEmpty() && send.test(texts.peek())) {
            texts.poll();
        }
    }

    /** Drops everything queued: the client failed or was closed. */
    void clear() {
        texts.clear();
    }

    int size() {
        return texts.size();
    }
}
