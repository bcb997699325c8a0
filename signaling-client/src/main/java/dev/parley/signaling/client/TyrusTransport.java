package dev.parley.signaling.client;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.SslEngineConfigurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket over Tyrus's Grizzly client. All links share one Grizzly transport (Tyrus's shared container), so
 * hundreds of clients in one process cost a handful of threads.
 */
public final class TyrusTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(TyrusTransport.class);
    /** Matches the server's hard limit; the server's ordinary limit is 64 KiB. */
    private static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private final Executor connector;

    /** @param connector runs the blocking WebSocket handshakes */
    public TyrusTransport(Executor connector) {
        this.connector = connector;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("ws", "wss");
    }

    @Override
    public CompletableFuture<Link> open(URI uri, ClientConfig config, Link.Receiver receiver) {
        return CompletableFuture.supplyAsync(
                () -> {
                    ClientManager manager = ClientManager.createClient();
                    manager.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
                    manager.getProperties()
                            .put(
                                    ClientProperties.HANDSHAKE_TIMEOUT,
                                    config.connectTimeout().toMillis());
                    if (config.sslContext() != null) {
                        manager.getProperties()
                                .put(
                                        ClientProperties.SSL_ENGINE_CONFIGURATOR,
                                        new SslEngineConfigurator(config.sslContext()));
                    }
                    TyrusLink link = new TyrusLink(receiver);
                    try {
                        manager.connectToServer(
                                link, ClientEndpointConfig.Builder.create().build(), uri);
                    } catch (DeploymentException | IOException e) {
                        throw new CompletionException(e.getMessage() != null ? e.getMessage() : e.toString(), e);
                    }
                    return (Link) link;
                },
                connector);
    }

    @Override
    public void close() {
        // Tyrus's shared container shuts itself down when idle.
    }

    private static final class TyrusLink extends Endpoint implements Link {
        private final Link.Receiver receiver;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile Session session;

        TyrusLink(Link.Receiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public void onOpen(Session s, EndpointConfig endpointConfig) {
            session = s;
            s.setMaxTextMessageBufferSize(MAX_MESSAGE_BYTES);
            s.setMaxIdleTimeout(0); // keep-alive is ours
            s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
                try {
                    receiver.onText(text);
                } catch (RuntimeException e) {
                    log.error("Signaling receiver failed", e); // never into Tyrus
                }
            });
        }

        @Override
        public void onClose(Session s, CloseReason reason) {
            if (closed.compareAndSet(false, true)) {
                try {
                    receiver.onClosed(reason.getCloseCode().getCode(), reason.getReasonPhrase());
                } catch (RuntimeException e) {
                    log.error("Signaling receiver failed", e);
                }
            }
        }

        @Override
        public void onError(Session s, Throwable error) {
            log.debug("WebSocket error: {}", error.toString());
        }

        @Override
        public boolean send(String text) {
            Session s = session;
            if (s == null || !s.isOpen() || closed.get()) {
                return false;
            }
            s.getAsyncRemote().sendText(text, result -> {
                if (!result.isOK()) {
                    log.debug("Send failed: {}", String.valueOf(result.getException()));
                }
            });
            return true;
        }

        @Override
        public void close(int code, String reason) {
            Session s = session;
            try {
                if (s != null && s.isOpen()) {
                    s.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
                }
            } catch (IOException | RuntimeException e) {
                log.debug("Close failed: {}", e.toString());
            } finally {
                if (closed.compareAndSet(false, true)) {
                    receiver.onClosed(code, reason);
                }
            }
        }
    }
}
