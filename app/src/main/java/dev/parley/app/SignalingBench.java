package dev.parley.app;

import dev.parley.signaling.server.LocalRedis;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley bench signaling}: starts a signaling server in its own process, connects and signs in N clients
 * from this one, pairs them into calls and relays a mix of ~3 KB offers and ~200 B candidates between the partners
 * at fixed rates. Prints connections held, relay latency percentiles, achieved throughput and the server's memory.
 *
 * <p>The load side uses Jetty's core WebSocket client (a few kilobytes and no thread per connection; the JDK's
 * client took ~65 KB each, and its garbage collections showed up in the latencies) so that ten thousand clients
 * fit in one process; it speaks the protocol's JSON directly and stamps each message with its run and its number
 * in the run's {@link SendSchedule}. Latency is counted from when a message was <em>due</em>, on the same clock as
 * its receipt, so a load generator that falls behind shows up in the figures instead of hiding the wait
 * (coordinated omission). How late the sender actually got each message out is shown too ("lag").
 *
 * <p>A run is valid only if every message sent came back and no client saw an error or a close: otherwise the
 * exit status is 1, whatever the latencies say.
 */
@Command(
        name = "signaling",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark the signaling server: clients held, relay latency, throughput, memory.",
            "Latency is counted from each message's scheduled send time (no coordinated omission); throughput over",
            "the real window from the first send to the last receipt. Exit status 1 if a message was lost or a",
            "client saw an error or a close."
        })
final class SignalingBench implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(SignalingBench.class);
    private static final String MARK = "@@";
    /** How long a run waits, after its last send, for the messages still on their way. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Option(names = "--clients", defaultValue = "1000", description = "Clients to connect (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--rates",
            defaultValue = "5000,10000",
            split = ",",
            description = "Message rates to run, in messages a second (default: ${DEFAULT-VALUE}).")
    int[] rates;

    @Option(names = "--seconds", defaultValue = "10", description = "Seconds at each rate (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(
            names = "--offer-share",
            defaultValue = "0.2",
            description =
                    "Share of messages that are ~3 KB offers; the rest are ~200 B candidates (default: ${DEFAULT-VALUE}).")
    double offerShare;

    @Option(names = "--server-jvm", description = "JVM options for the server process (default: the launcher's).")
    String serverJvm;

    @Option(
            names = "--nodes",
            defaultValue = "1",
            description =
                    "Server nodes, 1 to 4; more than one run as a cluster over a Redis of their own (Debian's"
                            + " redis-server), half the calls between two nodes, their latency shown apart (default: ${DEFAULT-VALUE}).")
    int nodes;

    private final String sdpFiller = "a=x-filler:" + "0123456789abcdef".repeat(180) + "\\r\\n";

    @Override
    public Integer call() throws Exception {
        if (clients < 2 || clients % 2 != 0) {
            throw new IllegalArgumentException("--clients must be an even number of at least 2");
        }
        if (nodes < 1 || nodes > 4) {
            throw new IllegalArgumentException("--nodes must be 1 to 4");
        }
        Path redisDir = nodes > 1 ? Files.createTempDirectory("parley-bench-redis") : null;
        redis = nodes > 1 ? LocalRedis.start(redisDir) : null;
        List<BenchServer> servers = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            servers.add(
                    redis == null
                            ? BenchServer.start(serverJvm)
                            : BenchServer.start(
                                    serverJvm, "--cluster", redis.uri().toString()));
        }
        BenchServer bench = servers.get(0);
        Process server = bench.process();
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("bench-ws");
        threads.setDaemon(true);
        HttpClient http = new HttpClient();
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(clients + 100);
        http.setMaxRequestsQueuedPerDestination(clients + 100);
        http.setConnectTimeout(20_000);
        WebSocketCoreClient webSockets = new WebSocketCoreClient(http, null);
        webSockets.start();
        List<Peer> peers = new ArrayList<>();
        try {
            List<URI> uris = new ArrayList<>();
            for (BenchServer b : servers) {
                uris.add(URI.create(b.url(Duration.ofSeconds(30))));
            }
            Thread.sleep(1500);
            long heapIdle = liveHeap(servers);
            long rssIdle = rss(servers);
            System.out.printf(
                    "Parley signaling benchmark: %d clients -> %s (server pids %s, JVM: %s)%n",
                    clients,
                    uris.stream().map(URI::toString).collect(Collectors.joining(", ")),
                    servers.stream().map(b -> Long.toString(b.process().pid())).collect(Collectors.joining(", ")),
                    bench.jvmOptions());
            if (redis != null) {
                System.out.printf(
                        "%d nodes as a cluster over %s (pid %d): pairs alternate between one node and two%n",
                        nodes, redis.uri(), redis.pid());
            }

            long cpu0 = cpuTicks(servers);
            Map<String, Long> threads0 = threadTicks(servers);
            long t0 = System.nanoTime();
            connectAll(webSockets, uris, peers);
            long t1 = System.nanoTime();
            double connectSeconds = (t1 - t0) / 1e9;
            long cpuTicks = cpuTicks(servers) - cpu0;
            long jitTicks = Math.max(0, jitTicks(threadTicks(servers)) - jitTicks(threads0)); // threads may end
            long welcomed =
                    peers.stream().filter(p -> p.welcomed.getCount() == 0).count();
            System.out.printf(
                    Locale.ROOT,
                    "connect + sign-in: %d/%d clients in %.2f s (%d connect failures)%n",
                    welcomed,
                    clients,
                    connectSeconds,
                    connectFailures.get());
            int cold = coldSignIns();
            if (welcomed == clients && coldSignInsDone != 0 && clients > cold) {
                double coldSeconds = (coldSignInsDone - t0) / 1e9;
                double warmSeconds = (t1 - coldSignInsDone) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "  the first %d (cold server) at %.0f/s; the other %d at %.0f/s%n",
                        cold,
                        cold / coldSeconds,
                        clients - cold,
                        (clients - cold) / warmSeconds);
                System.out.printf(
                        Locale.ROOT,
                        "  server CPU: %.2f s for %d sign-ins (%.0f us each), %.0f%% of it in the JIT compilers%n",
                        cpuTicks / 100.0,
                        clients,
                        cpuTicks * 10_000.0 / clients,
                        cpuTicks == 0 ? 0 : 100.0 * jitTicks / cpuTicks);
            }
            if (welcomed < clients) {
                System.out.println("INVALID: not every client could sign in");
                return 1;
            }
            pairUp(peers);

            System.out.printf(
                    Locale.ROOT,
                    "%nmix: %.0f%% offers of %d B, %.0f%% candidates of %d B; %d s per rate"
                            + " after a 5 s warm-up (the cold run, shown apart)%n",
                    offerShare * 100,
                    offerText(peers.get(0), peers.get(1), MARK + "0.0").length(),
                    (1 - offerShare) * 100,
                    candidateText(peers.get(0), peers.get(1), MARK + "0.0").length(),
                    seconds);
            System.out.printf(
                    "latency: from each message's scheduled send time to its receipt (no coordinated omission),"
                            + " nearest-rank percentiles over every message received (samples);%n"
                            + "throughput: received / window, the window from the first send to the last receipt; lag ms: the most"
                            + " any message went out after its scheduled time; errors and closes: as the clients saw them;%n"
                            + "srv us: the server's CPU time per message sent, in microseconds (both the receiving and the"
                            + " relaying); repeat a rate (--rates 10000,10000) to see it once the JIT has settled%n");
            System.out.printf(
                    "%-9s %8s %8s %8s %6s %9s %10s %8s %7s %7s %7s %8s %8s %7s %7s %6s %7s %7s %7s%n",
                    "run",
                    "target/s",
                    "sent",
                    "received",
                    "lost",
                    "window s",
                    "achieved/s",
                    "samples",
                    "p50 ms",
                    "p95 ms",
                    "p99 ms",
                    "max ms",
                    "lag ms",
                    "srv err",
                    "cli err",
                    "closes",
                    "srv CPU",
                    "srv us",
                    "bench");
            List<RateRun.Result> results = new ArrayList<>();
            results.add(runRate(peers, Math.min(2000, rates[0]), servers, 5, "warm-up")); // cold: both JITs compile
            for (int rate : rates) {
                results.add(runRate(peers, rate, servers, seconds, "measured"));
            }
            if (late.get() > 0) {
                System.out.printf(
                        "%d messages arrived after their run's %d s wait (counted as lost there)%n",
                        late.get(), TimeUnit.NANOSECONDS.toSeconds(DRAIN_NANOS));
            }

            long heapLoaded = liveHeap(servers);
            long held = servers.stream()
                    .mapToLong(b -> Long.parseLong(b.stat("authenticated")))
                    .sum();
            long rssLoaded = rss(servers);
            System.out.printf("%nserver: %d authenticated connections held%n", held);
            System.out.printf(
                    "server RSS: %.1f MB idle, %.1f MB with %d clients (%.1f KB per connection)%n",
                    rssIdle / 1e6, rssLoaded / 1e6, clients, (rssLoaded - rssIdle) / 1e3 / clients);
            System.out.printf(
                    "server heap after GC: %.1f MB idle, %.1f MB with %d clients (%.1f KB per connection)%n",
                    heapIdle / 1e6, heapLoaded / 1e6, clients, (heapLoaded - heapIdle) / 1e3 / clients);

            List<String> invalid = new ArrayList<>();
            // A second storm of sign-ins, on a server whose JIT has settled: a mass reconnect after a network blip.
            int warmCount = Math.min(clients, 5000);
            long warmCpu0 = cpuTicks(servers);
            Map<String, Long> warmThreads0 = threadTicks(servers);
            long w0 = System.nanoTime();
            connectAll(webSockets, uris, warmPeers, warmCount, i -> new Peer(i, "bench-again-" + i));
            long w1 = System.nanoTime();
            long warmCpu = cpuTicks(servers) - warmCpu0;
            long warmJit = Math.max(0, jitTicks(threadTicks(servers)) - jitTicks(warmThreads0));
            long warmWelcomed =
                    warmPeers.stream().filter(p -> p.welcomed.getCount() == 0).count();
            System.out.printf(
                    Locale.ROOT,
                    "sign-in again, warm server: %d/%d more clients in %.2f s, %.0f/s; server CPU %.0f us each,"
                            + " %.0f%% of it in the JIT compilers%n",
                    warmWelcomed,
                    warmCount,
                    (w1 - w0) / 1e9,
                    warmWelcomed / ((w1 - w0) / 1e9),
                    warmCpu * 10_000.0 / warmCount,
                    warmCpu == 0 ? 0 : 100.0 * warmJit / warmCpu);
            if (warmWelcomed < warmCount) {
                invalid.add((warmCount - warmWelcomed) + " of the warm sign-ins did not finish");
            }
            long lost = results.stream().mapToLong(RateRun.Result::lost).sum();
            if (lost > 0) {
                invalid.add(lost + " messages lost (sent but not received)");
            }
            if (serverErrors.get() > 0 || clientErrors.get() > 0 || closes.get() > 0 || connectFailures.get() > 0) {
                invalid.add(String.format(
                        Locale.ROOT,
                        "%d server errors, %d client errors, %d closes, %d connect failures",
                        serverErrors.get(),
                        clientErrors.get(),
                        closes.get(),
                        connectFailures.get()));
            }
            if (servers.stream().anyMatch(b -> !b.process().isAlive())) {
                invalid.add("a server process exited");
            } else if (held != clients) {
                invalid.add("the server holds " + held + " of " + clients + " clients");
            }
            if (results.stream().anyMatch(r -> r.latency().count() == 0)) {
                invalid.add("a run received no messages");
            }
            System.out.println(
                    invalid.isEmpty()
                            ? "\nvalid run: every message arrived, no errors, no closes"
                            : "\nINVALID: " + String.join("; ", invalid));
            return invalid.isEmpty() ? 0 : 1;
        } finally {
            tearingDown = true;
            Stream.concat(peers.stream(), warmPeers.stream()).forEach(p -> {
                if (p.session != null) {
                    p.session.abort();
                }
            });
            for (BenchServer b : servers) {
                b.close();
            }
            if (redis != null) {
                redis.close();
                try (Stream<Path> files = Files.walk(redisDir)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(f -> f.toFile().delete());
                }
            }
            webSockets.stop();
            http.stop();
        }
    }

    // ---- the clients ----

    // Everything the clients saw go wrong; any of it makes the run invalid.
    private final AtomicLong serverErrors = new AtomicLong(); // "error" messages from the server
    private final AtomicLong clientErrors = new AtomicLong(); // a connection's onError, or a send that failed
    private final AtomicLong closes = new AtomicLong(); // connections closed before the bench tears them down
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong late = new AtomicLong(); // messages that came after their run had been reported
    private volatile boolean tearingDown;

    /** Counts a send that fails; shared by every send (it holds no state of its own). */
    private final Callback countSendFailure = new Callback() {
        @Override
        public void failed(Throwable cause) {
            if (clientErrors.incrementAndGet() <= 5) {
                log.warn("A send failed: {}", cause.toString());
            }
        }

        @Override
        public Invocable.InvocationType getInvocationType() {
            return Invocable.InvocationType.NON_BLOCKING;
        }
    };

    private final class Peer implements FrameHandler {
        final int index;
        final String user;
        final CountDownLatch welcomed = new CountDownLatch(1);
        /** Gives back its place among the sign-ins in flight: once, on its welcome or when it fails first. */
        final AtomicReference<Runnable> place = new AtomicReference<>();

        void freePlace() {
            Runnable free = place.getAndSet(null);
            if (free != null) {
                free.run();
            }
        }

        final CountDownLatch invited = new CountDownLatch(1);
        int node; // the server node it signs in on
        boolean crossNode; // its partner is on another node
        final StringBuilder partial = new StringBuilder();
        volatile CoreSession session;
        Peer partner;
        String callId;

        Peer(int index) {
            this(index, "bench-" + index);
        }

        Peer(int index, String user) {
            this.index = index;
            this.user = user;
        }

        void send(String text) {
            session.sendFrame(new Frame(OpCode.TEXT, text), countSendFailure, false);
        }

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            session = coreSession;
            callback.succeeded();
            coreSession.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            byte opcode = frame.getOpCode();
            if (opcode == OpCode.TEXT || opcode == OpCode.CONTINUATION) {
                String text = frame.getPayloadAsUTF8();
                callback.succeeded();
                if (frame.isFin() && partial.length() == 0) {
                    received(this, text);
                } else {
                    partial.append(text);
                    if (frame.isFin()) {
                        received(this, partial);
                        partial.setLength(0);
                    }
                }
            } else {
                callback.succeeded();
            }
            if (opcode != OpCode.CLOSE) {
                session.demand();
            }
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            freePlace(); // failed before its welcome: another sign-in may go
            if (!tearingDown && clientErrors.incrementAndGet() <= 5) {
                log.warn("{}: connection error: {}", user, cause.toString());
            }
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            freePlace();
            if (!tearingDown && closes.incrementAndGet() <= 5) {
                log.warn("{}: connection closed: {}", user, closeStatus);
            }
            callback.succeeded();
        }
    }

    /** The run being measured: its schedule, and what came back. Written by the client threads. */
    private volatile RateRun current;

    private int runs;

    /** The cluster's Redis when there are several nodes, else null. */
    private LocalRedis redis;

    private void received(Peer peer, CharSequence text) {
        long now = System.nanoTime();
        int mark = indexOf(text, MARK);
        if (mark >= 0) {
            long[] fields = RateRun.mark(text, mark + MARK.length());
            RateRun run = current;
            if (run == null || run.id != fields[0]) {
                late.incrementAndGet();
                return;
            }
            run.receivedAt(fields[1], now, peer.crossNode);
        } else if (startsWithType(text, "welcome")) {
            peer.welcomed.countDown();
            if (welcomes.incrementAndGet() == coldSignIns()) {
                coldSignInsDone = System.nanoTime();
            }
            peer.freePlace();
        } else if (startsWithType(text, "invite")) {
            peer.invited.countDown();
        } else if (startsWithType(text, "error")) {
            if (serverErrors.incrementAndGet() <= 5) {
                log.warn("Server error to {}: {}", peer.user, text);
            }
        }
    }

    private static boolean startsWithType(CharSequence text, String type) {
        String prefix = "{\"type\":\"" + type + "\"";
        return text.length() >= prefix.length()
                && text.subSequence(0, prefix.length()).toString().equals(prefix);
    }

    private static int indexOf(CharSequence text, String needle) {
        if (text instanceof String s) {
            return s.indexOf(needle);
        }
        return text.toString().indexOf(needle);
    }

    /**
     * Pair k (clients 2k and 2k+1) is on one node when k is even and on two when k is odd, so that a cluster's run
     * measures both; with one node, everyone is on it.
     */
    private int nodeOf(int client) {
        int pair = client / 2;
        if (pair % 2 == 0) {
            return (pair / 2) % nodes;
        }
        return (pair / 2 + client % 2) % nodes;
    }

    /** When the cold part of the sign-ins ended (nanoTime), for the two rates the bench prints. */
    private volatile long coldSignInsDone;

    private final AtomicInteger welcomes = new AtomicInteger();

    /** The clients of the second sign-in storm, once the relay runs are done. */
    private final List<Peer> warmPeers = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Sign-ins counted as the cold part (a fresh server's first ones, JIT compilers busy), reported apart. */
    private int coldSignIns() {
        return Math.max(1, Math.min(1000, clients / 10));
    }

    /**
     * Connects and signs in every client, at most 200 at a time: a place frees as its welcome arrives (not on a
     * thread that waits for it, which would make the sign-ins take turns).
     */
    private void connectAll(WebSocketCoreClient webSockets, List<URI> uris, List<Peer> peers) throws Exception {
        connectAll(webSockets, uris, peers, clients, Peer::new);
    }

    private void connectAll(
            WebSocketCoreClient webSockets,
            List<URI> uris,
            List<Peer> peers,
            int count,
            java.util.function.IntFunction<Peer> newPeer)
            throws Exception {
        Semaphore inFlight = new Semaphore(200);
        for (int i = 0; i < count; i++) {
            Peer peer = newPeer.apply(i);
            peer.node = nodeOf(i);
            peers.add(peer);
            if (!inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
                log.warn("no sign-in finished within 30 s; giving up");
                return; // the welcomed count shows the shortfall
            }
            peer.place.set(inFlight::release);
            webSockets.connect(peer, uris.get(peer.node)).whenComplete((session, error) -> {
                if (error != null) {
                    peer.freePlace();
                    if (connectFailures.incrementAndGet() <= 5) {
                        log.warn("{}: connect failed: {}", peer.user, error.toString());
                    }
                    return;
                }
                peer.send("{\"type\":\"hello\",\"v\":1,\"user\":\"" + peer.user + "\",\"device\":\"bench\"}");
            });
        }
        if (inFlight.tryAcquire(200, 30, TimeUnit.SECONDS)) {
            inFlight.release(200);
        }
    }

    /** Partners 2k and 2k+1 place a call to each other, so the server has a route for their messages. */
    private void pairUp(List<Peer> peers) throws InterruptedException {
        for (int i = 0; i < peers.size(); i += 2) {
            Peer a = peers.get(i);
            Peer b = peers.get(i + 1);
            a.partner = b;
            b.partner = a;
            a.crossNode = a.node != b.node;
            b.crossNode = a.crossNode;
            a.callId = "bench-call-" + i;
            b.callId = a.callId;
            a.send("{\"type\":\"invite\",\"v\":1,\"callId\":\"" + a.callId + "\",\"to\":\"" + b.user
                    + "\",\"media\":[\"audio\",\"video\"]}");
        }
        for (int i = 1; i < peers.size(); i += 2) {
            Peer b = peers.get(i);
            if (!b.invited.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException(b.user + " never received its invite");
            }
            b.send("{\"type\":\"accept\",\"v\":1,\"callId\":\"" + b.callId + "\",\"to\":\"" + b.partner.user + "\"}");
        }
        Thread.sleep(500);
    }

    /** A ~3 KB offer from one partner to the other, with {@code mark} in its SDP. */
    private String offerText(Peer from, Peer to, String mark) {
        return "{\"type\":\"offer\",\"v\":1,\"callId\":\"" + from.callId + "\",\"to\":\"" + to.user
                + "\",\"sdp\":\"v=0\\r\\no=- " + mark + " 2 IN IP4 198.18.0.1\\r\\ns=-\\r\\n"
                + sdpFiller + "\"}";
    }

    /** A ~200 B candidate from one partner to the other, with {@code mark} at its end. */
    private String candidateText(Peer from, Peer to, String mark) {
        return "{\"type\":\"candidate\",\"v\":1,\"callId\":\"" + from.callId + "\",\"to\":\"" + to.user
                + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"candidate\":\"candidate:842163049 1 udp 1677729535 "
                + "198.51.100.7 61235 typ srflx raddr 198.18.0.1 rport 61235 generation 0 " + mark + "\"}";
    }

    /**
     * Sends {@code rate * seconds} messages on schedule (each stamped with the run and its number in the run), waits
     * up to {@link #DRAIN_NANOS} for them to come back, and prints one line.
     */
    private RateRun.Result runRate(List<Peer> peers, int rate, List<BenchServer> servers, int seconds, String label)
            throws InterruptedException {
        long self = ProcessHandle.current().pid();
        long serverCpu0 = cpuTicks(servers);
        long redisCpu0 = redis == null ? 0 : ProcFs.cpuTicks(redis.pid());
        long benchCpu0 = ProcFs.cpuTicks(self);
        long serverErrors0 = serverErrors.get();
        long clientErrors0 = clientErrors.get();
        long closes0 = closes.get();
        long total = (long) rate * seconds;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        RateRun run = new RateRun(++runs, new SendSchedule(System.nanoTime(), rate), total);
        current = run;
        long firstSent = 0;
        long maxLag = 0;
        long sent = 0;
        while (sent < total) {
            long due = Math.min(total, run.schedule.dueBy(System.nanoTime()));
            while (sent < due) {
                long now = System.nanoTime();
                if (sent == 0) {
                    firstSent = now;
                }
                long lag = now - run.schedule.scheduledAt(sent);
                maxLag = Math.max(maxLag, lag);
                Peer from = peers.get(random.nextInt(peers.size()));
                String mark = MARK + run.id + "." + sent;
                from.send(
                        random.nextDouble() < offerShare
                                ? offerText(from, from.partner, mark)
                                : candidateText(from, from.partner, mark));
                sent++;
            }
            Thread.sleep(0, 200_000);
        }
        double sending = (System.nanoTime() - firstSent) / 1e9;
        long serverCpu1 = cpuTicks(servers);
        double serverCpu = cpuPercent(serverCpu0, serverCpu1, sending);
        // Ticks are 10 ms (the percentages assume it too): the servers' CPU per message, in µs.
        double serverMicros = serverCpu0 < 0 || serverCpu1 < 0 || sent == 0
                ? Double.NaN
                : (serverCpu1 - serverCpu0) * 10_000.0 / sent;
        double redisCpu = redis == null ? 0 : cpuPercent(redisCpu0, ProcFs.cpuTicks(redis.pid()), sending);
        double benchCpu = cpuPercent(benchCpu0, ProcFs.cpuTicks(self), sending);
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while (run.received.get() < sent && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        current = null; // anything still to come is late, and lost for this run
        long received = run.received.get();
        long last = run.lastReceived.get();
        double window = received == 0 ? Double.NaN : (last - firstSent) / 1e9;
        Percentiles latency = Percentiles.of(run.latencies());
        System.out.printf(
                Locale.ROOT,
                "%-9s %8d %8d %8d %6d %9.3f %10.1f %8d %7s %7s %7s %8s %8.2f %7d %7d %6d %6.0f%% %7.1f %6.0f%%%n",
                label,
                rate,
                sent,
                received,
                sent - received,
                window,
                received / window,
                latency.count(),
                ms(latency.p50(), latency),
                ms(latency.p95(), latency),
                ms(latency.p99(), latency),
                latency.formatMax(1e6, 2),
                maxLag / 1e6,
                serverErrors.get() - serverErrors0,
                clientErrors.get() - clientErrors0,
                closes.get() - closes0,
                serverCpu,
                serverMicros,
                benchCpu);
        if (redis != null) {
            Percentiles same = Percentiles.of(run.sameNodeLatencies());
            Percentiles cross = Percentiles.of(run.crossNodeLatencies());
            System.out.printf(
                    Locale.ROOT,
                    "%-9s one node: %d samples, p50 %s / p95 %s / p99 %s ms; two nodes: %d samples, p50 %s / p95 %s"
                            + " / p99 %s ms; srv CPU is all %d nodes', Redis %.0f%%%n",
                    "",
                    same.count(),
                    ms(same.p50(), same),
                    ms(same.p95(), same),
                    ms(same.p99(), same),
                    cross.count(),
                    ms(cross.p50(), cross),
                    ms(cross.p95(), cross),
                    ms(cross.p99(), cross),
                    servers.size(),
                    redisCpu);
        }
        return new RateRun.Result(sent, received, latency);
    }

    /** CPU ticks per thread name, over every server node. */
    private static Map<String, Long> threadTicks(List<BenchServer> servers) {
        Map<String, Long> sum = new java.util.HashMap<>();
        for (BenchServer b : servers) {
            ProcFs.threadTicks(b.process().pid()).forEach((name, ticks) -> sum.merge(name, ticks, Long::sum));
        }
        return sum;
    }

    /** The ticks of the JIT compiler threads ("C1 CompilerThre…", "C2 CompilerThre…"). */
    private static long jitTicks(Map<String, Long> threads) {
        return threads.entrySet().stream()
                .filter(e -> e.getKey().startsWith("C1 Compiler") || e.getKey().startsWith("C2 Compiler"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** The server nodes' CPU ticks together; -1 if one is gone. */
    private static long cpuTicks(List<BenchServer> servers) {
        long sum = 0;
        for (BenchServer b : servers) {
            long t = ProcFs.cpuTicks(b.process().pid());
            if (t < 0) {
                return -1;
            }
            sum += t;
        }
        return sum;
    }

    private static long rss(List<BenchServer> servers) {
        return servers.stream().mapToLong(b -> ProcFs.rss(b.process().pid())).sum();
    }

    private static long liveHeap(List<BenchServer> servers) throws InterruptedException {
        long sum = 0;
        for (BenchServer b : servers) {
            sum += b.liveHeap();
        }
        return sum;
    }

    /** Percent of one core between two CPU readings (ticks/s = % of one core); NaN if the process was gone. */
    private static double cpuPercent(long ticksBefore, long ticksAfter, double seconds) {
        return ticksBefore < 0 || ticksAfter < 0 ? Double.NaN : (ticksAfter - ticksBefore) / seconds;
    }

    private static String ms(long nanos, Percentiles of) {
        return of.count() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }
}
