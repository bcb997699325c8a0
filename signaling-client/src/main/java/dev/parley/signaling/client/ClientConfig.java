package dev.parley.signaling.client;

import java.net.URI;
import java.time.Duration;
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
        SSLContext sslContext) {
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
                null);
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
                sslContext);
    }

    public ClientConfig withBackoff(Duration min, Duration max) {
        return new ClientConfig(
                server, user, password, device, connectTimeout, min, max, pingInterval, sendQueueLimit, sslContext);
    }

    public ClientConfig withPingInterval(Duration v) {
        return new ClientConfig(
                server, user, password, device, connectTimeout, backoffMin, backoffMax, v, sendQueueLimit, sslContext);
    }

    public ClientConfig withConnectTimeout(Duration v) {
        return new ClientConfig(
                server, user, password, device, v, backoffMin, backoffMax, pingInterval, sendQueueLimit, sslContext);
    }

    public ClientConfig withSendQueueLimit(int v) {
        return new ClientConfig(
                server, user, password, device, connectTimeout, backoffMin, backoffMax, pingInterval, v, sslContext);
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
                v);
    }

    @Override
    public String toString() {
        return "ClientConfig[server=" + server + ", user=" + user + ", device=" + device + "]";
    }
}
