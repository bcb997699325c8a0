package dev.parley.app;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code parley bench call}: real calls between two Parley processes, a caller placing calls one after another
 * and an answerer taking them, over a signaling server in this process. WebRTC gathers no candidates on
 * loopback and test traffic must stay on this machine, so the bench first moves itself into a network namespace
 * of its own with a veth pair (198.18.0.1 ↔ 198.18.0.2); that needs root.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = {"Benchmark real calls between two local Parley processes in a private network namespace.",
                "Prints invite→connected and invite→first remote frame (p50/p95), frames sent and received,",
                "end-to-end frame latency from the burned-in timestamps, and CPU and RSS of each side.",
                "Needs root (for the network namespace)."})
final class CallBench implements Callable<Integer> {
    private static final String IN_NAMESPACE = "PARLEY_BENCH_NETNS";

    @Option(names = "--calls", paramLabel = "N", defaultValue = "20", description = "Calls per video size (default: ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--video", paramLabel = "WxH@FPS", split = ",", defaultValue = "640x480@30,1280x720@30",
            description = "Video sizes to run, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> videos;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "5", description = "Length of each call once connected (default: ${DEFAULT-VALUE}).")
    int duration;

    @Override
    public Integer call() throws Exception {
        if (calls < 1 || duration < 1) {
            throw new IllegalArgumentException("--calls and --duration must be at least 1");
        }
        if (System.getenv(IN_NAMESPACE) == null) {
            return reexecInNamespace();
        }
        try (SignalingServer server = SignalingServer.start(ServerConfig.builder().port(0).build())) {
            System.out.printf("%d calls of %d s per size, caller and answerer in separate JVMs, one namespace%n%n",
                    calls, duration);
            System.out.printf("%-14s %-22s %-22s %-18s %-16s %-18s %-12s%n", "video", "invite→connected ms",
                    "invite→1st frame ms", "frames recv/sent", "latency ms", "CPU % core", "RSS MB");
            System.out.printf("%-14s %-22s %-22s %-18s %-16s %-18s %-12s%n", "", "p50 / p95", "p50 / p95 (1st size)",
                    "", "p50 / p95", "caller+ans. (steady)", "caller/ans.");
            int status = 0;
            for (String video : videos) {
                status |= runSize(server, video.trim());
            }
            return status;
        }
    }

    private int runSize(SignalingServer server, String video) throws Exception {
        String url = server.uri().toString();
        Process answerer = parley("answer", "--server", url, "--user", "bench-callee", "--fake-media", "--video",
                video, "--max-calls", Integer.toString(calls), "--json");
        Lines answers = new Lines(answerer, "bench-answerer");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.stats().onlineUsers() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Process caller = parley("call", "bench-callee", "--server", url, "--user", "bench-caller", "--fake-media",
                "--video", video, "--duration", Integer.toString(duration), "--calls", Integer.toString(calls),
                "--json");
        Lines placed = new Lines(caller, "bench-caller");

        // CPU and memory while calls run: sampled every 100 ms over connected time, and again from 1 s after each
        // connect ("steady": without the encoder's and the JIT's start-up work of each call).
        long callerCpu = 0;
        long answerCpu = 0;
        long connectedNanos = 0;
        long steadyCaller = 0;
        long steadyAnswer = 0;
        long steadyNanos = 0;
        long callerRss = 0;
        long answerRss = 0;
        long lastCaller = ProcFs.cpuTicks(caller.pid());
        long lastAnswer = ProcFs.cpuTicks(answerer.pid());
        long lastSample = System.nanoTime();
        while (caller.isAlive()) {
            Thread.sleep(100);
            long c = ProcFs.cpuTicks(caller.pid());
            long a = ProcFs.cpuTicks(answerer.pid());
            long now = System.nanoTime();
            if (c >= 0 && a >= 0 && placed.inCall) {
                callerCpu += c - lastCaller;
                answerCpu += a - lastAnswer;
                connectedNanos += now - lastSample;
                if (lastSample - placed.connectedAt > 1_000_000_000L) {
                    steadyCaller += c - lastCaller;
                    steadyAnswer += a - lastAnswer;
                    steadyNanos += now - lastSample;
                }
                callerRss = Math.max(callerRss, ProcFs.rss(caller.pid()));
                answerRss = Math.max(answerRss, ProcFs.rss(answerer.pid()));
            }
            lastCaller = c;
            lastAnswer = a;
            lastSample = now;
        }
        int callerExit = caller.waitFor();
        if (!answerer.waitFor(20, TimeUnit.SECONDS)) {
            answerer.destroyForcibly();
        }
        placed.join();
        answers.join();

        List<Long> connected = new ArrayList<>();
        List<Long> firstFrame = new ArrayList<>();
        List<String> firstSizes = new ArrayList<>();
        long sent = 0;
        long received = 0;
        List<Double> latencyP50 = new ArrayList<>();
        List<Double> latencyP95 = new ArrayList<>();
        for (JsonObject e : placed.events) {
            switch (e.get("event").getAsString()) {
                case "state" -> {
                    if (e.get("state").getAsString().equals("connected")) {
                        connected.add(e.get("ms").getAsLong());
                    }
                }
                case "first-remote-frame" -> {
                    firstFrame.add(e.get("msSinceInvite").getAsLong());
                    firstSizes.add(e.get("width").getAsInt() + "x" + e.get("height").getAsInt());
                }
                default -> {
                }
            }
        }
        // Both directions count for delivery and latency.
        for (List<JsonObject> side : List.of(placed.events, answers.events)) {
            for (JsonObject e : side) {
                if (e.get("event").getAsString().equals("ended") && e.has("framesSent")) {
                    sent += e.get("framesSent").getAsLong();
                    received += e.get("framesReceived").getAsLong();
                    if (e.has("latencyP50Ms")) {
                        latencyP50.add(e.get("latencyP50Ms").getAsDouble());
                        latencyP95.add(e.get("latencyP95Ms").getAsDouble());
                    }
                }
            }
        }
        double seconds = connectedNanos / 1e9;
        double steady = steadyNanos / 1e9;
        String sizes = firstSizes.stream().distinct().sorted().reduce((a, b) -> a + "," + b).orElse("-");
        System.out.printf(Locale.ROOT, "%-14s %-22s %-22s %-18s %-16s %-18s %-12s%n", video,
                pair(connected), pair(firstFrame) + " (" + sizes + ")",
                String.format(Locale.ROOT, "%d/%d %.1f%%", received, sent, sent == 0 ? 0 : 100.0 * received / sent),
                String.format(Locale.ROOT, "%.0f / %.0f", median(latencyP50), median(latencyP95)),
                seconds == 0 || steady == 0 ? "-" : String.format(Locale.ROOT, "%.0f+%.0f (%.0f+%.0f)",
                        callerCpu / seconds, answerCpu / seconds, steadyCaller / steady, steadyAnswer / steady),
                String.format(Locale.ROOT, "%d/%d", callerRss >> 20, answerRss >> 20));
        if (connected.size() < calls || callerExit != 0) {
            System.out.printf("  only %d of %d calls connected (caller exit %d)%n", connected.size(), calls, callerExit);
            return 1;
        }
        return 0;
    }

    private static String pair(List<Long> values) {
        if (values.isEmpty()) {
            return "-";
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2] + " / " + sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.95) - 1)];
    }

    private static double median(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.stream().sorted().toList().get(values.size() / 2);
    }

    private static Process parley(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xms64m", "-Xmx192m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        b.environment().put("MALLOC_ARENA_MAX", "2");
        return b.start();
    }

    /** Runs this same command again inside a fresh network namespace with a veth pair. */
    private int reexecInNamespace() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("parley: bench call needs root, to make a private network namespace (try sudo)");
            return 2;
        }
        String setup = "set -e; ip link set lo up; ip link add pa type veth peer name pb; "
                + "ip addr add 198.18.0.1/24 dev pa; ip addr add 198.18.0.2/24 dev pb; "
                + "ip link set pa up; ip link set pb up; exec \"$@\"";
        List<String> command = new ArrayList<>(List.of("unshare", "--net", "sh", "-c", setup, "sh",
                ProcessHandle.current().info().command().orElse("java")));
        command.addAll(ProcessHandle.current().info().arguments().map(Arrays::asList).orElseThrow());
        ProcessBuilder b = new ProcessBuilder(command).inheritIO();
        b.environment().put(IN_NAMESPACE, "1");
        return b.start().waitFor();
    }

    /** Reads a child's JSON event lines on a thread of its own. */
    private static final class Lines {
        final List<JsonObject> events = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean inCall;
        volatile long connectedAt;
        private final Thread reader;

        Lines(Process p, String name) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (!line.startsWith("{")) {
                            continue; // webrtc-java's own messages at exit
                        }
                        JsonObject e = JsonParser.parseString(line).getAsJsonObject();
                        events.add(e);
                        String kind = e.get("event").getAsString();
                        if (kind.equals("state")) {
                            boolean connected = e.get("state").getAsString().equals("connected");
                            if (connected && !inCall) {
                                connectedAt = System.nanoTime();
                            }
                            inCall = connected;
                        } else if (kind.equals("ended")) {
                            inCall = false;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended; what was read is what there is
                }
            }, name);
            reader.setDaemon(true);
            reader.start();
        }

        void join() throws InterruptedException {
            reader.join(10_000);
        }
    }
}
