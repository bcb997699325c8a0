package dev.parley.signaling.client;

import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.Welcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A signed-in connection to a signaling server that survives network trouble: it reconnects with backoff,
 * signs in again, restores the presence subscription and sends what was queued meanwhile.
 *
 * <p>Listeners are called one at a time, in order, on a thread of the client's own (never the caller's and never
 * the transport's). A listener that throws is logged and does not disturb the others. Create clients with a
 * {@link SignalingClientFactory}.
 */
public interface SignalingClient extends AutoCloseable {

    /**
     * Connects and signs in. The future completes with the first {@link Welcome}, or fails with a
     * {@link SignalingException} when the credentials are refused or the client is closed. Until then the client
     * keeps trying. Calling it again returns the same future.
     */
    CompletableFuture<Welcome> connect();

    /**
     * Sends a message, or queues it while (re)connecting. Returns false if the client is closed or failed, or if
     * the queue is full; the message is then dropped.
     */
    boolean send(Message message);

    /**
     * While waiting to reconnect, tries again at once instead of at the end of the backoff: for a "retry now"
     * button, or when the network has just come back. Does nothing in other states.
     */
    void reconnectNow();

    /**
     * The network may have changed under us (media stopped, an address changed): pings now, and if nothing is
     * heard within {@code within}, drops the link and reconnects at once instead of waiting for the keep-alive
     * to notice. While waiting to reconnect it is {@link #reconnectNow()}. Does nothing in other states.
     */
    void checkLink(Duration within);

    void addListener(Listener listener);

    void removeListener(Listener listener);

    ConnectionState state();

    /** The latest welcome (user, device, ICE servers), or null before the first sign-in. */
    Welcome session();

    /**
     * The server this client is connected to (or will try next), for addresses made from it such as a guest link's
     * page ({@link GuestLinkAddress}); null for a signaling that has no server.
     */
    default java.net.URI server() {
        return null;
    }

    /** Disconnects for good. Idempotent. */
    @Override
    void close();

    /** Receives what arrives and how the connection fares. */
    interface Listener {
        /** A message from the server (including each {@link Welcome} after a reconnect). */
        default void onMessage(Message message) {}

        /** The connection state changed; {@code detail} says why, for logs and the UI. */
        default void onStateChanged(ConnectionState state, String detail) {}
    }
}
