package dev.parley.app;

import dev.parley.call.ClientService;
import dev.parley.call.Contact;
import dev.parley.call.Settings;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.protocol.UserNames;
import dev.parley.signaling.server.Authenticator;
import dev.parley.signaling.server.NameClaims;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.ui.LocalServer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop app's built-in signaling server: on 127.0.0.1 only, or on every interface when the user hosts calls
 * for the local network. It keeps its port across such restarts (7443 when free), so the clients signed in to it
 * reconnect by themselves.
 *
 * <p>Who may sign in: from this computer, whoever has the install secret ({@link InstallSecret}: the app's own
 * client and echo peer; other users' processes cannot read it); from the network, whoever gives the join code
 * ({@link JoinCode}, made anew each time hosting is turned on). Either way a name belongs to the device that first
 * signed in with it ({@link NameClaims}, kept in {@code names} in the config directory), so nobody can sign in as
 * someone else, the host included. The connection is plain ws://: see the settings' note on what that exposes.
 */
final class EmbeddedServer implements LocalServer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
    static final int PREFERRED_PORT = 7443;
    /** Refuses everyone: the network's side while the server listens on loopback only. */
    private static final Authenticator NOBODY = new Authenticator() {
        @Override
        public boolean authenticate(Attempt attempt) {
            return false;
        }

        @Override
        public String describe() {
            return "nobody";
        }
    };

    private final Path config;
    private final String localUser;
    private final ClientService client;
    private final SignalingClientFactory factory;
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parley-embedded-server");
        t.setDaemon(true);
        return t;
    });
    private volatile String secret; // once started
    // Guarded by this.
    private EchoPeer echo;
    private SignalingServer server;
    private NameClaims claims;
    private int port;
    private boolean onNetwork;
    private String joinCode; // while on the network

    /** @param config the config directory: the install secret and the names' devices are kept there */
    EmbeddedServer(Path config, ClientService client, SignalingClientFactory factory) {
        this.config = config;
        this.client = client;
        this.factory = factory;
        Settings s = client.settings().get();
        this.localUser = userName(s.user() != null ? s.user() : System.getProperty("user.name"));
    }

    @Override
    public CompletableFuture<URI> start() {
        return CompletableFuture.supplyAsync(
                () -> {
                    synchronized (this) {
                        if (server == null) {
                            try {
                                secret = InstallSecret.loadOrCreate(config);
                                claims = NameClaims.in(config.resolve("names"));
                                bind(Boolean.TRUE.equals(client.settings().get().hostOnNetwork()));
                            } catch (Exception e) {
                                throw new IllegalStateException(
                                        "cannot start the built-in server: " + e.getMessage(), e);
                            }
                            echo = new EchoPeer(localUri(), factory, secret, echoDevice(secret));
                            if (client.contacts().all().stream()
                                    .noneMatch(c -> c.user().equals(EchoPeer.USER))) {
                                try {
                                    client.putContact(new Contact(EchoPeer.USER, "Echo test"));
                                } catch (IOException e) {
                                    log.warn("Cannot add the Echo test contact: {}", e.toString());
                                }
                            }
                        }
                        return localUri();
                    }
                },
                worker);
    }

    /**
     * Starts on 127.0.0.1 (or all interfaces, with a new join code); the preferred port if free, else any. Holds
     * this.
     */
    private void bind(boolean network) throws Exception {
        onNetwork = network;
        joinCode = network ? JoinCode.generate(random) : null;
        String bind = network ? "0.0.0.0" : "127.0.0.1";
        Authenticator who = Authenticator.byOrigin(
                        Authenticator.secret(secret, "the install secret"),
                        network ? JoinCode.authenticator(joinCode) : NOBODY)
                .withNameClaims(claims);
        try {
            server = SignalingServer.start(config(bind, port != 0 ? port : PREFERRED_PORT, who));
        } catch (IOException busy) {
            if (port != 0) {
                throw busy;
            }
            server = SignalingServer.start(config(bind, 0, who));
        }
        port = server.uri().getPort();
    }

    private static ServerConfig config(String bind, int port, Authenticator who) {
        return ServerConfig.builder().bind(bind).port(port).authenticator(who).build();
    }

    /** The echo peer's device id: the same at every start, and known to nobody without the install secret. */
    static String echoDevice(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("parley echo device\0" + secret).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where this computer's own client signs in (once started). */
    synchronized URI localUri() {
        return URI.create("ws://127.0.0.1:" + port + "/signal");
    }

    @Override
    public String localUser() {
        return localUser;
    }

    @Override
    public String localSecret() {
        return secret;
    }

    @Override
    public synchronized boolean hostingOnNetwork() {
        return onNetwork;
    }

    @Override
    public CompletableFuture<Hosting> hostOnNetwork(boolean on) {
        return CompletableFuture.supplyAsync(
                () -> {
                    synchronized (this) {
                        try {
                            client.updateSettings(client.settings().get().withHostOnNetwork(on));
                        } catch (IOException e) {
                            log.warn("Cannot save the network hosting choice: {}", e.toString());
                        }
                        if (server != null && on != onNetwork) {
                            server.close();
                            try {
                                bind(on);
                            } catch (Exception e) {
                                throw new IllegalStateException(
                                        "cannot restart the built-in server: " + e.getMessage(), e);
                            }
                            log.info(
                                    "Built-in server now {}",
                                    on ? "open to the local network" : "on this computer only");
                        }
                        return on && onNetwork ? new Hosting(addresses(port), joinCode) : null;
                    }
                },
                worker);
    }

    @Override
    public int othersSignedIn() {
        SignalingServer.Stats stats;
        boolean echoIn;
        synchronized (this) {
            if (server == null) {
                return 0;
            }
            stats = server.stats();
            echoIn = echo != null && echo.signedIn();
        }
        // The server counts users, not where they come from: take away this computer's own two.
        boolean meIn = client.settings().get().serverUrl() == null && client.signedIn();
        return (int) Math.max(0, stats.onlineUsers() - (echoIn ? 1 : 0) - (meIn ? 1 : 0));
    }

    /** The running server's load (tests), or null. */
    synchronized SignalingServer.Stats stats() {
        return server == null ? null : server.stats();
    }

    /** ws:// addresses of this machine on its networks (IPv4, up, not loopback). */
    static List<String> addresses(int port) {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        out.add("ws://" + a.getHostAddress() + ":" + port + "/signal");
                    }
                }
            }
        } catch (IOException e) {
            log.warn("Cannot list network interfaces: {}", e.toString());
        }
        return out;
    }

    /** This computer's user as a Parley user name ("me" if it cannot be one). */
    static String userName(String osUser) {
        String name = osUser == null ? "" : osUser.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "");
        if (name.length() > 32) {
            name = name.substring(0, 32);
        }
        return name.isEmpty() || UserNames.invalidReason(name) != null || EchoPeer.USER.equals(name) ? "me" : name;
    }

    @Override
    public synchronized void close() {
        worker.shutdown();
        if (echo != null) {
            echo.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
