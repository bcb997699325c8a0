package dev.parley.app;

import dev.parley.call.ClientService;
import dev.parley.call.Contact;
import dev.parley.call.Settings;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.protocol.UserNames;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.ui.LocalServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The desktop app's built-in signaling server, in open mode: on 127.0.0.1 only, or on every interface when the
 * user hosts calls for the local network. It keeps its port across such restarts (7443 when free), so the
 * clients signed in to it reconnect by themselves.
 */
final class EmbeddedServer implements LocalServer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
    static final int PREFERRED_PORT = 7443;

    private final String localUser;
    private final ClientService client;
    private final SignalingClientFactory factory;
    private EchoPeer echo; // guarded by this
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parley-embedded-server");
        t.setDaemon(true);
        return t;
    });
    private SignalingServer server; // guarded by this
    private int port;
    private boolean onNetwork;

    EmbeddedServer(ClientService client, SignalingClientFactory factory) {
        this.client = client;
        this.factory = factory;
        Settings s = client.settings().get();
        this.localUser = userName(s.user() != null ? s.user() : System.getProperty("user.name"));
    }

    @Override
    public CompletableFuture<URI> start() {
        return CompletableFuture.supplyAsync(() -> {
            synchronized (this) {
                if (server == null) {
                    try {
                        bind(Boolean.TRUE.equals(client.settings().get().hostOnNetwork()));
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot start the built-in server: " + e.getMessage(), e);
                    }
                    echo = new EchoPeer(localUri(), factory);
                    if (client.contacts().all().stream().noneMatch(c -> c.user().equals(EchoPeer.USER))) {
                        try {
                            client.putContact(new Contact(EchoPeer.USER, "Echo test"));
                        } catch (IOException e) {
                            log.warn("Cannot add the Echo test contact: {}", e.toString());
                        }
                    }
                }
                return localUri();
            }
        }, worker);
    }

    /** Starts on 127.0.0.1 (or all interfaces); the preferred port if free, else any. Holds this. */
    private void bind(boolean network) throws Exception {
        onNetwork = network;
        String bind = network ? "0.0.0.0" : "127.0.0.1";
        try {
            server = SignalingServer.start(ServerConfig.builder().bind(bind).port(port != 0 ? port : PREFERRED_PORT).build());
        } catch (IOException busy) {
            if (port != 0) {
                throw busy;
            }
            server = SignalingServer.start(ServerConfig.builder().bind(bind).port(0).build());
        }
        port = server.uri().getPort();
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
    public synchronized boolean hostingOnNetwork() {
        return onNetwork;
    }

    @Override
    public CompletableFuture<List<String>> hostOnNetwork(boolean on) {
        return CompletableFuture.supplyAsync(() -> {
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
                        throw new IllegalStateException("cannot restart the built-in server: " + e.getMessage(), e);
                    }
                    log.info("Built-in server now {}", on ? "open to the local network" : "on this computer only");
                }
                return on ? addresses(port) : List.of();
            }
        }, worker);
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
