package dev.parley.signaling.client;

import dev.parley.signaling.protocol.MessageCodec;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Makes {@link SignalingClient}s, picking the {@link Transport} by the server URI's scheme, and owns the threads
 * they share. Close it last, after its clients.
 */
public final class SignalingClientFactory implements AutoCloseable {
    private final ExecutorService pool;
    private final ScheduledExecutorService timers;
    private final Map<String, Transport> bySchemes = new HashMap<>();
    private final List<Transport> transports;
    private final MessageCodec codec = new MessageCodec();

    /** WebSocket (Tyrus) for {@code ws:}/{@code wss:} and an in-memory hub for {@code loopback:}. */
    public static SignalingClientFactory standard() {
        return new SignalingClientFactory(pool -> List.of(new TyrusTransport(pool), new LoopbackTransport()));
    }

    /** @param transports given the factory's thread pool, the transports to offer */
    public SignalingClientFactory(Function<ExecutorService, List<Transport>> transports) {
        this.pool = Executors.newCachedThreadPool(daemon("parley-signaling"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("parley-signaling-timer"));
        this.transports = List.copyOf(transports.apply(pool));
        for (Transport t : this.transports) {
            for (String scheme : t.schemes()) {
                if (bySchemes.putIfAbsent(scheme.toLowerCase(Locale.ROOT), t) != null) {
                    throw new IllegalArgumentException("two transports for scheme " + scheme);
                }
            }
        }
    }

    /** A new, not yet connected client. */
    public SignalingClient create(ClientConfig config) {
        String scheme = config.server().getScheme();
        Transport transport = scheme == null ? null : bySchemes.get(scheme.toLowerCase(Locale.ROOT));
        if (transport == null) {
            throw new IllegalArgumentException("unsupported signaling URI " + config.server() + " (supported schemes: "
                    + String.join(", ", bySchemes.keySet().stream().sorted().toList()) + ")");
        }
        return new ReconnectingSignalingClient(config, transport, codec, pool, timers);
    }

    /** The transport of the given class, e.g. the {@link LoopbackTransport} to reach its hubs. */
    public <T extends Transport> T transport(Class<T> type) {
        return transports.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + type.getSimpleName()));
    }

    @Override
    public void close() {
        transports.forEach(Transport::close);
        timers.shutdownNow();
        pool.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
