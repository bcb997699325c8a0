package dev.parley.signaling.server;

import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.MessageCodec;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's signaling server: WebSocket (our own framing on Jetty 12's sockets, no servlet container) at {@code ws[s]://bind:port/path}.
 * Start with {@link #start(ServerConfig)}; {@link #close()} stops it, telling every client it is going away.
 */
public final class SignalingServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);
    public static final String NAME = "parley-server/0.1";
    /** Threads that check passwords (PBKDF2 is slow on purpose). */
    private static final int AUTH_THREADS = 2;

    private final Server jetty;
    private final ServerContext ctx;
    private final ExecutorService auth;
    private final URI uri;
    private volatile boolean closed;

    /** The accounts file to watch for changes, or null (another kind of authenticator). */
    private final AccountStore accounts;

    /** The link to the other nodes, or null on its own. */
    private final RedisCluster cluster;

    /** Says "stopping" on /health once close() begins. */
    private final AtomicBoolean stopping;

    /** Written behind; its last write is waited for when the server stops. */
    private final ContactBook contacts;

    private SignalingServer(
            Server jetty,
            ServerContext ctx,
            ExecutorService auth,
            URI uri,
            AccountStore accounts,
            AtomicBoolean stopping,
            RedisCluster cluster,
            ContactBook contacts) {
        this.stopping = stopping;
        this.contacts = contacts;
        this.cluster = cluster;
        this.jetty = jetty;
        this.ctx = ctx;
        this.auth = auth;
        this.uri = uri;
        this.accounts = accounts;
    }

    public static SignalingServer start(ServerConfig config) throws Exception {
        ServerConfig.Limits limits = config.limits();
        MessageCodec codec = new MessageCodec(limits.maxMessageBytes());
        TurnCredentials turn =
                new TurnCredentials(config.iceUris(), config.turnSecret(), config.turnTtl(), Clock.systemUTC());
        // SignIn hands it at most AUTH_THREADS tasks at a time, in turns per address (FairQueue): no queue here.
        ThreadPoolExecutor auth = new ThreadPoolExecutor(
                AUTH_THREADS, AUTH_THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemon("parley-auth"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("parley-sweeper"));
        ContactBook contacts = config.presence() == ServerConfig.PresencePolicy.EVERYONE
                ? ContactBook.everyone()
                : config.contactsFile() == null ? ContactBook.inMemory() : ContactBook.in(config.contactsFile());
        RedisCluster cluster =
                config.cluster() == null ? null : RedisCluster.to(config.cluster(), config.clusterPassword());
        Hub hub = new Hub(
                codec,
                limits.maxCallsPerUser(),
                System::nanoTime,
                contacts,
                cluster == null ? ClusterLink.ALONE : cluster);
        GuestLinks links = new GuestLinks(Clock.systemUTC());
        SignIn signIn = new SignIn(
                codec,
                hub,
                limits,
                config.authenticator(),
                new TokenService(Duration.ofHours(24), Clock.systemUTC()),
                turn,
                new TurnPolicy(config.authenticator(), config.turnForEveryone()),
                auth,
                AUTH_THREADS,
                NAME,
                links);
        ServerContext ctx = new ServerContext(
                codec,
                hub,
                limits,
                signIn,
                scheduler,
                ConcurrentHashMap.newKeySet(),
                new LongAdder(),
                new ConnectionCaps(limits),
                links);

        // Nothing here blocks, so a small pool is plenty. Jetty's reserved threads stay on: they let the selector
        // thread run a message's task itself instead of handing it to another thread (measured: fewer context
        // switches, lower p99).
        QueuedThreadPool pool = new QueuedThreadPool(16, 4);
        pool.setName("parley-jetty");
        Server jetty = new Server(pool);
        HttpConnectionFactory http = new HttpConnectionFactory();
        ServerConnector connector;
        if (config.tlsKeystore() != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(config.tlsKeystore().toString());
            tls.setKeyStorePassword(config.tlsPassword());
            connector = new ServerConnector(jetty, 1, 1, new SslConnectionFactory(tls, "http/1.1"), http);
        } else {
            connector = new ServerConnector(jetty, 1, 1, http);
        }
        connector.setHost(config.bind());
        connector.setPort(config.port());
        connector.setAcceptQueueSize(4096); // many clients reconnect at once after a restart
        jetty.addConnector(connector);
        // Plain HTTP requests fall through the WebSocket handler: GET /health and the guest's web client (/join/TOKEN,
        // /guest/...) answer them, the rest get a 404.
        AtomicBoolean stopping = new AtomicBoolean();
        HealthHandler health = new HealthHandler(
                stopping::get,
                () -> ctx.connections().size(),
                () -> cluster == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ",\"cluster\":\"%s\",\"node\":\"%s\",\"nodes\":%d",
                                cluster.attached() ? "attached" : "detached",
                                cluster.node(),
                                cluster.nodes()));
        // Frames are handled on Jetty's selector thread unless a handler may block: in a cluster, an invite and the
        // first message of a call routed elsewhere wait on Redis.
        jetty.setHandler(new WebSocketUpgrade(
                config.path(),
                new Origins(config.allowedOrigins()),
                () -> new Connection(ctx),
                limits.hardMessageBytes(),
                limits.idleTimeout().plusSeconds(30).toMillis(), // the sweeper acts first
                cluster == null,
                new Handler.Sequence(health, new GuestPages(token -> links.find(token) != null))));
        jetty.setStopTimeout(2000);
        try {
            if (cluster != null) {
                cluster.start(hub); // before the first sign-in: a device signed in is told to the others
            }
            jetty.start();
        } catch (Exception e) {
            auth.shutdownNow();
            scheduler.shutdownNow();
            jetty.stop();
            contacts.close();
            if (cluster != null) {
                cluster.close();
            }
            throw e;
        }
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        URI uri = URI.create((config.tlsKeystore() != null ? "wss" : "ws") + "://" + host + ":"
                + connector.getLocalPort() + config.path());
        SignalingServer server = new SignalingServer(
                jetty,
                ctx,
                auth,
                uri,
                config.authenticator() instanceof AccountStore store ? store : null,
                stopping,
                cluster,
                contacts);
        scheduler.scheduleWithFixedDelay(server::sweep, 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(signIn::prune, 1, 1, TimeUnit.MINUTES);
        log.info(
                "Signaling server listening on {} ({})",
                uri,
                config.authenticator().describe());
        return server;
    }

    /** The URL clients connect to. */
    public URI uri() {
        return uri;
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Connection c : ctx.connections()) {
                c.sweep(now);
            }
            ctx.hub().sweep(now);
            ctx.links().sweep();
            if (accounts != null) {
                signOutEverywhere(accounts.reloadIfChanged());
            }
        } catch (RuntimeException e) {
            log.error("Sweep failed", e);
        }
    }

    /**
     * Users removed from the accounts file, or given a new password: every token they hold stops working and
     * their connections are closed (auth-failed, then 1008), so a removed user is out at once, not at the next
     * restart, and a password change shuts out whoever knew the old one.
     */
    private void signOutEverywhere(Set<String> users) {
        if (users.isEmpty()) {
            return;
        }
        users.forEach(ctx.signIn()::revoke);
        ErrorMessage notice = ErrorMessage.of(
                ErrorCode.AUTH_FAILED, "your account was removed or its password changed; sign in again");
        for (Connection c : ctx.connections()) {
            if (c.user() != null && users.contains(c.user())) {
                log.info("Signing out {}: account removed or password changed", c.who());
                c.send(notice);
                c.close(Wire.POLICY_VIOLATION, "account changed");
            }
        }
    }

    /** A snapshot of the server's load. */
    public Stats stats() {
        long authenticated = ctx.connections().stream()
                .filter(c -> c.phase() == Connection.Phase.AUTHENTICATED)
                .count();
        return new Stats(
                ctx.connections().size(),
                authenticated,
                ctx.hub().onlineUsers(),
                ctx.hub().openCalls(),
                ctx.messagesIn().sum(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    /**
     * @param connections   open WebSockets
     * @param authenticated of which signed in
     * @param onlineUsers   distinct users signed in
     * @param openCalls     calls the server is routing
     * @param messagesIn    messages received since start
     * @param heapUsed      heap in use, live objects and garbage not yet collected, in bytes
     */
    public record Stats(
            long connections, long authenticated, long onlineUsers, long openCalls, long messagesIn, long heapUsed) {}

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping.set(true);
        log.info("Signaling server stopping");
        ErrorMessage goingAway = ErrorMessage.of(ErrorCode.GOING_AWAY, "the server is shutting down");
        for (Connection c : ctx.connections()) {
            c.send(goingAway);
            c.close(Wire.SHUTDOWN, "server shutting down");
        }
        stopServing();
        if (cluster != null) {
            cluster.close(); // after the connections: their sign-outs reach the others first
        }
        contacts.close(); // last: no change comes from the connections or the cluster any more
    }

    /**
     * Stops as a crashed process would: the other nodes of its cluster hear nothing (they find it dead when its
     * heartbeat stops) and the clients' connections drop without a word (for tests of a node's death).
     */
    public void halt() {
        closed = true;
        stopping.set(true);
        if (cluster != null) {
            cluster.halt();
        }
        stopServing();
        contacts.close();
    }

    private void stopServing() {
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("Jetty did not stop cleanly", e);
        }
        ctx.scheduler().shutdownNow();
        auth.shutdownNow();
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
