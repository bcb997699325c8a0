package dev.parley.signaling.client;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A way to carry protocol text to a server. A new transport (say, HTTP/3) is one new class registered with the
 * {@link SignalingClientFactory}; reconnecting, signing in and keep-alive live above it, in
 * {@link ReconnectingSignalingClient}.
 */
public interface Transport extends AutoCloseable {

    /** URI schemes this transport serves, e.g. {@code ws} and {@code wss}. */
    Set<String> schemes();

    /**
     * Opens a link. The future fails if the server cannot be reached within the config's connect timeout.
     * The receiver's methods may be called on any thread and must not throw.
     */
    CompletableFuture<Link> open(URI uri, ClientConfig config, Link.Receiver receiver);

    @Override
    void close();

    /** One open connection. */
    interface Link {
        /** Queues a text without blocking; false if the link is already closed. */
        boolean send(String text);

        /** Closes the link; the receiver's {@code onClosed} follows. Idempotent. */
        void close(int code, String reason);

        /** What a link reports. */
        interface Receiver {
            void onText(String text);

            void onClosed(int code, String reason);
        }
    }
}
