package dev.parley.signaling.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.net.ssl.SSLContext;

/**
 * How a {@link SignalingClient} connects and signs in.
 *
 * @param server         {@code ws://}, {@code wss://} or {@code loopback:} URI
 * @param user           user name
 * @param password       password (may be null on an open server)
 * @param device         a stable id of this installation (see {@link dev.parley.signaling.protocol.Hello})
 * @param connectTimeout how long one connection attempt, sign-in included, may take
 * @param backoffMin     first delay before reconnecting
 * @param backoffMax     longest delay between attempts
 * @param pingInterval   keep-alive period; null to use the server's
 * @param sendQueueLimit how many messages to hold while disconnected
 * @param sslContext     trust for wss://; null for the JVM's default
 * @param alternates     other nodes of the same service (same scheme), tried in turn after {@code server} whenever a
 *                       connection is lost or cannot be made; empty for a single server
 */
public record ClientConfig(
        URI server,
        String user,
        String password,
        String device,
        Duration connectTimeout,
        Duration backoffMin,
        Duration backoffMax,
        Duration pingInterval,
        int sendQueueLimit,
        SSLContext sslContext,
        List<URI> alternates) {
    public ClientConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (backoffMin.isNegative() || backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("need 0 <= backoffMin <= backoffMax");
        }
        if (sendQueueLimit < 0) {
            throw new IllegalArgumentException("sendQueueLimit must not be negative");
        }
        alternates = alternates == null ? List.of() : List.copyOf(alternates);
        for (URI other : alternates) {
            if (!Objects.equals(other.getScheme(), server.getScheme())) {
                throw new IllegalArgumentException(
                        "every server of a service needs the same scheme: " + server + " and " + other);
            }
        }
    }

    /** Defaults: 10 s connect timeout, backoff from 0.25 s to 30 s, 256 queued messages, a random device id. */
    public static ClientConfig of(URI server, String user, String password) {
        return new ClientConfig(
                server,
                user,
                password,
                UUID.randomUUID().toString(),
                Duration.ofSeconds(10),
                Duration.ofMillis(250),
                Duration.ofSeconds(30),
                null,
                256,
                null,
                List.of());
    }

    public ClientConfig withDevice(String v) {
        return new ClientConfig(
                server,
                user,
                password,
                v,
                connectTimeout,
                backoffMin,
                backoffMax,
                pingInterval,
                sendQueueLimit,
                sslContext,
                alternates);
    }

    public ClientConfig withBackoff(Duration min, Duration max) {
        return new ClientConfig(
                server,
                user,
                password,
                device,
                connectTimeout,
                min,
                max,
                pingInterval,
                sendQueueLimit,
                sslContext,
                alternates);
    }

    public ClientConfig withPingInterval(Duration v) {
        return new ClientConfig(
                server,
                user,
                password,
                device,
                connectTimeout,
                backoffMin,
                backoffMax,
                v,
                sendQueueLimit,
                sslContext,
                alternates);
    }

    public ClientConfig withConnectTimeout(Duration v) {
        return new ClientConfig(
                server,
                user,
                password,
                device,
                v,
                backoffMin,
                backoffMax,
                pingInterval,
                sendQueueLimit,
                sslContext,
                alternates);
    }

    public ClientConfig withSendQueueLimit(int v) {
        return new ClientConfig(
                server,
                user,
                password,
                device,
                connectTimeout,
                backoffMin,
                backoffMax,
                pingInterval,
                v,
                sslContext,
                alternates);
    }

    public ClientConfig withSslContext(SSLContext v) {
        return new ClientConfig(
                server,
                user,
                password,
                device,
                connectTimeout,
                backoffMin,
                backoffMax,
                pingInterval,
                sendQueueLimit,
                v,
                alternates);
    }

    /** With other nodes of the same service to fall back on. */
    public ClientConfig withAlternates(List<URI> v) {
        return new ClientConfig(
                server,
                user,
                password,
                device,
                connectTimeout,
                backoffMin,
                backoffMax,
                pingInterval,
                sendQueueLimit,
                sslContext,
                v);
    }

    /** The server, then the alternates: the order in which they are tried. */
    public List<URI> servers() {
        List<URI> all = new java.util.ArrayList<>(1 + alternates.size());
        all.add(server);
        all.addAll(alternates);
        return List.copyOf(all);
    }

    @Override
    public String toString() {
        return "ClientConfig[server=" + server + ", user=" + user + ", device=" + device + "]";
    }
}
