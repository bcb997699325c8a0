package dev.parley.signaling.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link SignalingServer} needs. Build with {@link #builder()}.
 *
 * @param bind              address to listen on
 * @param port              port, 0 for any free one
 * @param path              WebSocket path
 * @param authenticator     who may sign in
 * @param iceUris           STUN/TURN URIs handed to clients
 * @param turnSecret        coturn's static-auth-secret, for time-limited TURN credentials
 * @param turnTtl           how long TURN credentials stay valid
 * @param tlsKeystore       a PKCS#12 or JKS keystore for wss://, or null for plain ws://
 * @param tlsPassword       the keystore's password
 * @param limits            per-connection limits
 * @param presence          who may see whose presence: everyone (open mode, a LAN) or contacts only
 * @param contactsFile      where the contacts are kept (contacts only); null keeps them in memory
 * @param allowedOrigins    web origins ({@code scheme://host[:port]}) whose pages may open a WebSocket; an upgrade
 *                          that carries any other {@code Origin} is refused with HTTP 403. Parley's own clients send
 *                          no {@code Origin}, so the default, empty, lets in native clients only
 * @param turnForEveryone   hand TURN credentials to every signed-in client; by default a client the authenticator
 *                          would let in without any secret (open mode) gets them only from this machine
 *                          ({@link TurnPolicy})
 * @param cluster           a Redis ({@code redis://host[:port]}) through which this server shares presence and calls
 *                          with other nodes (docs/SCALING.md), or null for a server on its own
 * @param clusterPassword   Redis's password, or null
 */
public record ServerConfig(
        String bind,
        int port,
        String path,
        Authenticator authenticator,
        List<String> iceUris,
        String turnSecret,
        Duration turnTtl,
        Path tlsKeystore,
        String tlsPassword,
        Limits limits,
        List<String> allowedOrigins,
        boolean turnForEveryone,
        PresencePolicy presence,
        Path contactsFile,
        URI cluster,
        String clusterPassword) {

    /** Who may see whose presence. */
    public enum PresencePolicy {
        /** Everyone sees everyone (open mode: a trusted LAN, the app's built-in server; docs/SECURITY.md). */
        EVERYONE,
        /** Only contacts: one asked, the other accepted (contact-request / contact-answer). */
        CONTACTS
    }

    public ServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(authenticator, "authenticator");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /");
        }
        iceUris = List.copyOf(iceUris);
        Objects.requireNonNull(turnTtl, "turnTtl");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(presence, "presence");
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** Without the secrets (TLS and Redis passwords, the TURN secret): a config may end up in a log. */
    @Override
    public String toString() {
        return "ServerConfig[bind=" + bind + ", port=" + port + ", path=" + path + ", authenticator="
                + authenticator.describe() + ", iceUris=" + iceUris + ", turnSecret="
                + (turnSecret == null ? "none" : "set")
                + ", turnTtl=" + turnTtl + ", tlsKeystore=" + tlsKeystore + ", limits=" + limits
                + ", allowedOrigins=" + allowedOrigins + ", turnForEveryone=" + turnForEveryone + ", presence="
                + presence + ", contactsFile=" + contactsFile + ", cluster=" + cluster + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Per-connection limits.
     *
     * @param maxMessageBytes   larger messages get a too-large error (the connection stays open)
     * @param hardMessageBytes  larger frames close the connection (1009), protecting memory
     * @param messagesPerSecond sustained rate; excess messages are dropped with a rate-limited error
     * @param burst             how many messages may arrive at once before the rate applies
     * @param authTimeout       unauthenticated connections are closed after this
     * @param pingInterval      clients are asked to ping this often
     * @param idleTimeout       connections silent for this long are closed
     * @param maxOutboundBytes  a client that does not read its messages is disconnected past this backlog
     * @param maxCallsPerUser   open calls one user may have through the server at once
     * @param maxUnauthenticatedPerAddress connections from one IP address that have not signed in yet; one more is
     *                          closed at once (1013)
     * @param maxDevicesPerUser signed-in connections (devices) of one user; a sign-in from one more device is
     *                          refused (a device signing in again replaces its old connection and always may)
     * @param maxWatchedUsers   users one connection may watch; a longer {@code subscribe} is refused
     */
    public record Limits(
            int maxMessageBytes,
            int hardMessageBytes,
            double messagesPerSecond,
            int burst,
            Duration authTimeout,
            Duration pingInterval,
            Duration idleTimeout,
            long maxOutboundBytes,
            int maxCallsPerUser,
            int maxUnauthenticatedPerAddress,
            int maxDevicesPerUser,
            int maxWatchedUsers) {
        public static Limits defaults() {
            return new Limits(
                    64 * 1024,
                    256 * 1024,
                    50,
                    200,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(60),
                    1024 * 1024,
                    32,
                    256,
                    16,
                    256);
        }

        public Limits withAuthTimeout(Duration d) {
            return new Limits(
                    maxMessageBytes,
                    hardMessageBytes,
                    messagesPerSecond,
                    burst,
                    d,
                    pingInterval,
                    idleTimeout,
                    maxOutboundBytes,
                    maxCallsPerUser,
                    maxUnauthenticatedPerAddress,
                    maxDevicesPerUser,
                    maxWatchedUsers);
        }

        public Limits withRate(double perSecond, int burst) {
            return new Limits(
                    maxMessageBytes,
                    hardMessageBytes,
                    perSecond,
                    burst,
                    authTimeout,
                    pingInterval,
                    idleTimeout,
                    maxOutboundBytes,
                    maxCallsPerUser,
                    maxUnauthenticatedPerAddress,
                    maxDevicesPerUser,
                    maxWatchedUsers);
        }

        public Limits withIdle(Duration ping, Duration idle) {
            return new Limits(
                    maxMessageBytes,
                    hardMessageBytes,
                    messagesPerSecond,
                    burst,
                    authTimeout,
                    ping,
                    idle,
                    maxOutboundBytes,
                    maxCallsPerUser,
                    maxUnauthenticatedPerAddress,
                    maxDevicesPerUser,
                    maxWatchedUsers);
        }

        /** The per-address, per-user and per-connection caps on what a client can make the server hold. */
        public Limits withCaps(int unauthenticatedPerAddress, int devicesPerUser, int watchedUsers) {
            return new Limits(
                    maxMessageBytes,
                    hardMessageBytes,
                    messagesPerSecond,
                    burst,
                    authTimeout,
                    pingInterval,
                    idleTimeout,
                    maxOutboundBytes,
                    maxCallsPerUser,
                    unauthenticatedPerAddress,
                    devicesPerUser,
                    watchedUsers);
        }
    }

    public static final class Builder {
        private String bind = "127.0.0.1";
        private int port = 7443;
        private String path = "/signal";
        private Authenticator authenticator = Authenticator.open();
        private List<String> iceUris = List.of();
        private String turnSecret;
        private Duration turnTtl = Duration.ofHours(24);
        private Path tlsKeystore;
        private String tlsPassword;
        private Limits limits = Limits.defaults();
        private PresencePolicy presence = PresencePolicy.EVERYONE;
        private Path contactsFile;
        private List<String> allowedOrigins = List.of();
        private boolean turnForEveryone;
        private URI cluster;
        private String clusterPassword;

        public Builder bind(String v) {
            bind = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder path(String v) {
            path = v;
            return this;
        }

        public Builder authenticator(Authenticator v) {
            authenticator = v;
            return this;
        }

        public Builder iceUris(List<String> v) {
            iceUris = v;
            return this;
        }

        public Builder turnSecret(String v) {
            turnSecret = v;
            return this;
        }

        public Builder turnTtl(Duration v) {
            turnTtl = v;
            return this;
        }

        public Builder tls(Path keystore, String password) {
            tlsKeystore = keystore;
            tlsPassword = password;
            return this;
        }

        public Builder limits(Limits v) {
            limits = v;
            return this;
        }
        /** Presence between contacts only, kept in {@code file} (null: in memory). */
        public Builder contactsOnly(Path file) {
            presence = PresencePolicy.CONTACTS;
            contactsFile = file;
            return this;
        }

        public Builder allowedOrigins(List<String> v) {
            allowedOrigins = v;
            return this;
        }

        public Builder turnForEveryone(boolean v) {
            turnForEveryone = v;
            return this;
        }

        /** Shares presence and calls with the other nodes using the Redis at {@code uri} (password may be null). */
        public Builder cluster(URI uri, String password) {
            cluster = uri;
            clusterPassword = password;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(
                    bind,
                    port,
                    path,
                    authenticator,
                    iceUris,
                    turnSecret,
                    turnTtl,
                    tlsKeystore,
                    tlsPassword,
                    limits,
                    allowedOrigins,
                    turnForEveryone,
                    presence,
                    contactsFile,
                    cluster,
                    clusterPassword);
        }
    }
}
