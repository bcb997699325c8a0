package dev.parley.signaling.client;

import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.Subscribe;

/**
 * What the server forgets with a connection and the client tells it again after each sign-in, in this order: the
 * application's last {@code subscribe}, its last own {@code presence}, then the messages it sent while the client
 * was not signed in ({@link ResendBuffer}). See docs/PROTOCOL.md section 10.
 *
 * <p>Not thread-safe: the client's lock guards it.
 */
final class SessionRestore {
    private final MessageCodec codec;
    private final ResendBuffer queue;
    private Subscribe subscription;
    private Presence ownPresence;

    /** @param queueLimit how many messages sent while disconnected it holds */
    SessionRestore(MessageCodec codec, int queueLimit) {
        this.codec = codec;
        this.queue = new ResendBuffer(queueLimit);
    }

    /**
     * Takes note of a message the application sends. A {@code subscribe} or own {@code presence} is remembered, to
     * be sent again after every sign-in, and true returned: such a message never needs queuing (queued as well,
     * it would go out twice).
     */
    boolean remember(Message message) {
        if (message instanceof Subscribe s) {
            subscription = s;
            return true;
        }
        if (message instanceof Presence p) {
            ownPresence = p;
            return true;
        }
        return false;
    }

    /** Queues an encoded message sent while not signed in; false, and nothing queued, if the queue is full. */
    boolean queue(String text) {
        return queue.offer(text);
    }

    int queued() {
        return queue.size();
    }

    /**
     * Sends it all over a freshly signed-in link. Queued messages the link refuses (it died under us) stay queued
     * for the next sign-in.
     */
    void restoreOn(Transport.Link link) {
        if (subscription != null) {
            link.send(codec.encode(subscription));
        }
        if (ownPresence != null) {
            link.send(codec.encode(ownPresence));
        }
        queue.sendAll(link::send);
    }

    /** Drops the queued messages: the client failed or was closed. */
    void dropQueue() {
        queue.clear();
    }
}
