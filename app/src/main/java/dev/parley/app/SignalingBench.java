package dev.parley.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code parley bench signaling}: starts a signaling server in its own process, connects and signs in N clients
 * from this one, pairs them into calls and relays a mix of ~3 KB offers and ~200 B candidates between the partners
 * at fixed rates. Prints connections held, relay latency percentiles, achieved throughput and the server's memory.
 *
 * <p>The load side uses Jetty's core WebSocket client (a few kilobytes and no thread per connection; the JDK's
 * client took ~65 KB each, and its garbage collections showed up in the latencies) so that ten thousand clients
 * fit in one process; it speaks the protocol's JSON directly and stamps each message with
 * {@code System.nanoTime()}, so latency is measured from send to receipt on the same clock.
 */
@Command(name = "signaling", mixinStandardHelpOptions = true,
        description = "Benchmark the signaling server: clients held, relay latency, throughput, memory.")
final class SignalingBench implements Callable<Integer> {
    private static final String MARK = "@@";

    @Option(names = "--clients", defaultValue = "1000", description = "Clients to connect (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rates", defaultValue = "5000,10000", split = ",",
            description = "Message rates to run, in messages a second (default: ${DEFAULT-VALUE}).")
    int[] rates;

    @Option(names = "--seconds", defaultValue = "10", description = "Seconds at each rate (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--offer-share", defaultValue = "0.2",
            description = "Share of messages that are ~3 KB offers; the rest are ~200 B candidates (default: ${DEFAULT-VALUE}).")
    double offerShare;

    @Option(names = "--server-jvm", description = "JVM options for the server process (default: the launcher's).")
    String serverJvm;

    private final String sdpFiller = "a=x-filler:" + "0123456789abcdef".repeat(180) + "\\r\\n";

    @Override
    public Integer call() throws Exception {
        if (clients < 2 || clients % 2 != 0) {
            throw new IllegalArgumentException("--clients must be an even number of at least 2");
        }
        Process server = startServer();
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
            URI uri = URI.create(url.get(30, TimeUnit.SECONDS));
            Thread.sleep(1500);
            long heapIdle = liveHeap(server);
            long rssIdle = ProcFs.rss(server.pid());
            System.out.printf("Parley signaling benchmark: %d clients -> %s (server pid %d, JVM: %s)%n", clients, uri,
                    server.pid(), serverJvmOptions());

            long t0 = System.nanoTime();
            connectAll(webSockets, uri, peers);
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            long welcomed = peers.stream().filter(p -> p.welcomed.getCount() == 0).count();
            System.out.printf("connect + sign-in: %d/%d clients in %.2f s%n", welcomed, clients, connectSeconds);
            if (welcomed < clients) {
                System.out.println("FAILED: not every client could sign in");
                return 1;
            }
            pairUp(peers);

            System.out.printf("%nmix: %.0f%% offers of %d B, %.0f%% candidates of %d B; %d s per rate%n",
                    offerShare * 100, offerText(peers.get(0), peers.get(1)).length(), (1 - offerShare) * 100,
                    candidateText(peers.get(0), peers.get(1)).length(), seconds);
            System.out.printf("%-10s %8s %9s %10s %7s %7s %7s %6s %11s %10s%n", "target/s", "sent", "received",
                    "achieved/s", "p50 ms", "p99 ms", "max ms", "errors", "server CPU", "bench CPU");
            runRate(peers, Math.min(2000, rates[0]), server.pid(), 5, false); // warm-up: let both JITs compile
            for (int rate : rates) {
                runRate(peers, rate, server.pid(), seconds, true);
            }

            long heapLoaded = liveHeap(server);
            long held = Long.parseLong(serverStat("authenticated"));
            long rssLoaded = ProcFs.rss(server.pid());
            System.out.printf("%nserver: %d authenticated connections held%n", held);
            System.out.printf("server RSS: %.1f MB idle, %.1f MB with %d clients (%.1f KB per connection)%n",
                    rssIdle / 1e6, rssLoaded / 1e6, clients, (rssLoaded - rssIdle) / 1e3 / clients);
            System.out.printf("server heap after GC: %.1f MB idle, %.1f MB with %d clients (%.1f KB per connection)%n",
                    heapIdle / 1e6, heapLoaded / 1e6, clients, (heapLoaded - heapIdle) / 1e3 / clients);
            return held == clients ? 0 : 1;
        } finally {
            peers.forEach(p -> {
                if (p.session != null) {
                    p.session.abort();
                }
            });
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            webSockets.stop();
            http.stop();
        }
    }

    // ---- the server process ----

    private final AtomicReference<String> lastStats = new AtomicReference<>("{}");
    private final CompletableFuture<String> url = new CompletableFuture<>();

    private String serverJvmOptions() {
        String opts = serverJvm != null ? serverJvm : System.getProperty("parley.server.jvm", "");
        return opts.isBlank() ? "(defaults)" : opts;
    }

    private Process startServer() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        String opts = serverJvm != null ? serverJvm : System.getProperty("parley.server.jvm", "");
        if (!opts.isBlank()) {
            command.addAll(Arrays.asList(opts.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "server", "--open",
                "--port", "0", "--stats-interval", "1"));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!url.isDone() && (line.startsWith("ws://") || line.startsWith("wss://"))) {
                        url.complete(line.trim());
                    } else if (line.startsWith("{")) {
                        lastStats.set(line);
                    }
                }
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
            url.completeExceptionally(new IOException("the server exited"));
        }, "bench-server-out");
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private String serverStat(String name) {
        String json = lastStats.get();
        int at = json.indexOf("\"" + name + "\":");
        if (at < 0) {
            return "0";
        }
        int start = at + name.length() + 3;
        int end = start;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return json.substring(start, end);
    }

    /** Heap in use right after a full collection, asked of the server with jcmd; -1 if there is no jcmd. */
    private long liveHeap(Process server) throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!gc.waitFor(30, TimeUnit.SECONDS) || gc.exitValue() != 0) {
                return -1;
            }
        } catch (IOException e) {
            return -1;
        }
        Thread.sleep(2200); // the next stats line comes after the collection
        return Long.parseLong(serverStat("heapUsed"));
    }

    // ---- the clients ----

    private final class Peer implements FrameHandler {
        final int index;
        final String user;
        final CountDownLatch welcomed = new CountDownLatch(1);
        final CountDownLatch invited = new CountDownLatch(1);
        final StringBuilder partial = new StringBuilder();
        volatile CoreSession session;
        Peer partner;
        String callId;

        Peer(int index) {
            this.index = index;
            this.user = "bench-" + index;
        }

        void send(String text) {
            session.sendFrame(new Frame(OpCode.TEXT, text), Callback.NOOP, false);
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
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            callback.succeeded();
        }
    }

    private final AtomicLong receivedCount = new AtomicLong();
    private final AtomicLong errorCount = new AtomicLong();
    private volatile long[] latencies = new long[0];
    private final AtomicInteger latencyIndex = new AtomicInteger();

    private void received(Peer peer, CharSequence text) {
        int mark = indexOf(text, MARK);
        if (mark >= 0) {
            long sentAt = 0;
            for (int i = mark + 2; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
                sentAt = sentAt * 10 + (text.charAt(i) - '0');
            }
            long latency = System.nanoTime() - sentAt;
            receivedCount.incrementAndGet();
            int slot = latencyIndex.getAndIncrement();
            long[] samples = latencies;
            if (slot < samples.length) {
                samples[slot] = latency;
            }
        } else if (startsWithType(text, "welcome")) {
            peer.welcomed.countDown();
        } else if (startsWithType(text, "invite")) {
            peer.invited.countDown();
        } else if (startsWithType(text, "error")) {
            if (errorCount.incrementAndGet() <= 5) {
                System.err.println("server error to " + peer.user + ": " + text);
            }
        }
    }

    private static boolean startsWithType(CharSequence text, String type) {
        String prefix = "{\"type\":\"" + type + "\"";
        return text.length() >= prefix.length() && text.subSequence(0, prefix.length()).toString().equals(prefix);
    }

    private static int indexOf(CharSequence text, String needle) {
        if (text instanceof String s) {
            return s.indexOf(needle);
        }
        return text.toString().indexOf(needle);
    }

    private void connectAll(WebSocketCoreClient webSockets, URI uri, List<Peer> peers) throws Exception {
        Semaphore inFlight = new Semaphore(200);
        for (int i = 0; i < clients; i++) {
            Peer peer = new Peer(i);
            peers.add(peer);
            inFlight.acquire();
            webSockets.connect(peer, uri)
                    .whenComplete((session, error) -> {
                        if (error != null) {
                            inFlight.release();
                            if (peer.index < 5) {
                                System.err.println("connect failed: " + error);
                            }
                            return;
                        }
                        peer.send("{\"type\":\"hello\",\"v\":1,\"user\":\"" + peer.user + "\",\"device\":\"bench\"}");
                        CompletableFuture.runAsync(() -> {
                            try {
                                peer.welcomed.await(20, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } finally {
                                inFlight.release();
                            }
                        });
                    });
        }
        inFlight.acquire(200);
        inFlight.release(200);
    }

    /** Partners 2k and 2k+1 place a call to each other, so the server has a route for their messages. */
    private void pairUp(List<Peer> peers) throws InterruptedException {
        for (int i = 0; i < peers.size(); i += 2) {
            Peer a = peers.get(i);
            Peer b = peers.get(i + 1);
            a.partner = b;
            b.partner = a;
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

    private String offerText(Peer from, Peer to) {
        return "{\"type\":\"offer\",\"v\":1,\"callId\":\"" + from.callId + "\",\"to\":\"" + to.user
                + "\",\"sdp\":\"v=0\\r\\no=- " + MARK + System.nanoTime() + " 2 IN IP4 198.18.0.1\\r\\ns=-\\r\\n"
                + sdpFiller + "\"}";
    }

    private String candidateText(Peer from, Peer to) {
        return "{\"type\":\"candidate\",\"v\":1,\"callId\":\"" + from.callId + "\",\"to\":\"" + to.user
                + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"candidate\":\"candidate:842163049 1 udp 1677729535 "
                + "198.51.100.7 61235 typ srflx raddr 198.18.0.1 rport 61235 generation 0 " + MARK + System.nanoTime()
                + "\"}";
    }

    private void runRate(List<Peer> peers, int rate, long serverPid, int seconds, boolean report)
            throws InterruptedException {
        long self = ProcessHandle.current().pid();
        long serverCpu0 = ProcFs.cpuTicks(serverPid);
        long benchCpu0 = ProcFs.cpuTicks(self);
        long total = (long) rate * seconds;
        latencies = new long[(int) Math.min(total + 1000, 50_000_000)];
        latencyIndex.set(0);
        receivedCount.set(0);
        long errorsBefore = errorCount.get();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long start = System.nanoTime();
        long sent = 0;
        while (sent < total) {
            long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
            while (sent < due) {
                Peer from = peers.get(random.nextInt(peers.size()));
                from.send(random.nextDouble() < offerShare ? offerText(from, from.partner)
                        : candidateText(from, from.partner));
                sent++;
            }
            Thread.sleep(0, 200_000);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double serverCpu = (ProcFs.cpuTicks(serverPid) - serverCpu0) / elapsed; // ticks/s = % of one core
        double benchCpu = (ProcFs.cpuTicks(self) - benchCpu0) / elapsed;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (receivedCount.get() < sent && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int n = Math.min(latencyIndex.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        if (!report) {
            return;
        }
        System.out.printf("%-10d %8d %9d %10.0f %7.2f %7.2f %7.2f %6d %10.0f%% %9.0f%%%n", rate, sent,
                receivedCount.get(), receivedCount.get() / elapsed, percentile(sorted, 0.50), percentile(sorted, 0.99),
                n == 0 ? Double.NaN : sorted[n - 1] / 1e6, errorCount.get() - errorsBefore, serverCpu, benchCpu);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
