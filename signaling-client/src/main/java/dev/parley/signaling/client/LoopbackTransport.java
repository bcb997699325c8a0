package dev.parley.signaling.client;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code loopback:NAME} links to an in-memory {@link LoopbackHub} of that name: the whole client stack without a
 * network, for fast tests of whatever sits on top of signaling.
 */
public final class LoopbackTransport implements Transport {
    private final ConcurrentMap<String, LoopbackHub> hubs = new ConcurrentHashMap<>();

    /** The hub behind {@code loopback:NAME}, created on first use. */
    public LoopbackHub hub(String name) {
        return hubs.computeIfAbsent(name, LoopbackHub::new);
    }

    @Override
    public Set<String> schemes() {
        return Set.of("loopback");
    }

    @Override
    public CompletableFuture<Link> open(URI uri, ClientConfig config, Link.Receiver receiver) {
        String name = uri.getSchemeSpecificPart();
        if (name == null || name.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("expected loopback:NAME, got " + uri));
        }
        return hub(name).open(receiver);
    }

    @Override
    public void close() {
        hubs.values().forEach(LoopbackHub::disconnectAll);
        hubs.clear();
    }
}
