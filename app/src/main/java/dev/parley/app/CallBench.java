package dev.parley.app;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.parley.app.CallRecords.CallRecord;
import dev.parley.app.CallRecords.Phase;
import dev.parley.call.CallOptions;
import dev.parley.call.CallWarmUp;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley bench call}: real calls between two Parley processes, a caller placing calls one after another
 * and an answerer taking them, over a signaling server process run as the launcher runs one. WebRTC gathers no candidates on
 * loopback and test traffic must stay on this machine, so the bench first moves itself into a network namespace
 * of its own with a veth pair (198.18.0.1 ↔ 198.18.0.2); that needs root.
 *
 * <p>Every figure is computed over all samples of the calls it describes (nearest-rank percentiles, see
 * {@link Percentiles}): setup times one sample per call, frame latency one per frame received in either
 * direction. The first call of each size runs in fresh processes (JIT, native library, first codec set-up) and is
 * reported on its own line, apart from the warm calls. A failed call is counted and shown, and the next one placed;
 * the run is invalid (exit status 1) if more than {@code --max-failed} percent of the calls failed, none succeeded,
 * or there are no samples. Frames sent are each sender's own count, never inferred at the receiver. The child
 * processes' output is kept in a log directory.
 */
@Command(
        name = "call",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark real calls between two local Parley processes in a private network namespace.",
            "Prints invite→connected, invite→first remote frame and end-to-end frame latency (from the burned-in",
            "timestamps) as nearest-rank p50/p95/p99 over all samples with their counts, the first (cold) call",
            "apart from the warm ones; frames sent (each sender's own count) and received; failed calls; CPU and",
            "RSS of each side. Exit status 1 if the run is invalid. Needs root (for the network namespace)."
        })
final class CallBench implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(CallBench.class);
    private static final String IN_NAMESPACE = "PARLEY_BENCH_NETNS";
    private static final String LOGS_ENV = "PARLEY_BENCH_LOGS";
    static final String CALL_JVM_PROPERTY = "parley.call.jvm";
    /** As the launcher's {@code CALL_JVM}: C1 alone (the first call as quick as the next; docs/decisions/0003). */
    static final String DEFAULT_CALL_JVM = "-Xms64m -Xmx192m -XX:TieredStopAtLevel=1";
    /** As the launcher's {@code FILE_JVM}: C2 on, for calls that send or receive a file (docs/decisions/0010). */
    static final String FILE_JVM_PROPERTY = "parley.file.jvm";

    static final String DEFAULT_FILE_JVM = "-Xms64m -Xmx192m";

    @Option(
            names = "--calls",
            paramLabel = "N",
            defaultValue = "20",
            description = "Calls per video size (default: ${DEFAULT-VALUE}).")
    int calls;

    @Option(
            names = "--video",
            paramLabel = "WxH@FPS",
            split = ",",
            defaultValue = "640x480@30,1280x720@30",
            description = "Video sizes to run, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> videos;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            defaultValue = "5",
            description = "Length of each call once connected (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(
            names = "--audio",
            paramLabel = "MODULE",
            defaultValue = "headless",
            description = "Whose clock plays and records the audio: 'headless' (webrtc-java's headless module, a"
                    + " synthetic tone pushed from Java) or 'pulse' (a private PulseAudio server per side, with a"
                    + " virtual microphone playing a tone and a virtual speaker; needs Debian's pulseaudio)"
                    + " (default: ${DEFAULT-VALUE}).")
    String audio;

    @Option(
            names = "--interval",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "For calls longer than this, a table of latency and jitter-buffer delays per this many"
                    + " seconds of the call, so that a delay that creeps up shows (default: ${DEFAULT-VALUE}).")
    int interval;

    @Option(
            names = "--max-failed",
            paramLabel = "PERCENT",
            defaultValue = "5",
            description =
                    "The run is invalid if more than this share of a size's calls fail (default: ${DEFAULT-VALUE}).")
    double maxFailedPercent;

    @Option(
            names = "--logs",
            paramLabel = "DIR",
            description =
                    "Where to keep the caller's and answerer's output (default: target/bench-call/<time>/ under the"
                            + " app module, or the current directory outside the launcher).")
    Path logs;

    @Override
    public Integer call() throws Exception {
        if (calls < 1 || duration < 1 || interval < 1) {
            throw new IllegalArgumentException("--calls, --duration and --interval must be at least 1");
        }
        if (!audio.equals("headless") && !audio.equals("pulse")) {
            throw new IllegalArgumentException("--audio is 'headless' or 'pulse', not " + audio);
        }
        if (audio.equals("pulse") && !SoundServer.available()) {
            throw new IllegalArgumentException("--audio pulse needs PulseAudio: apt-get install pulseaudio");
        }
        if (!(maxFailedPercent >= 0 && maxFailedPercent <= 100)) {
            throw new IllegalArgumentException("--max-failed must be a percentage from 0 to 100");
        }
        if (!inNamespace()) {
            return reexecInNamespace();
        }
        Path named = namedLogs(); // named by the process that made the namespace
        Path logDir = named != null ? named : logDirectory();
        Files.createDirectories(logDir);
        // The signaling server as deployed: a process of its own with the launcher's server flags.
        try (BenchServer server = BenchServer.start(null)) {
            URI signaling = URI.create(server.url(Duration.ofSeconds(30)));
            System.out.printf(
                    Locale.ROOT,
                    "%d calls of %d s per size, caller and answerer in separate JVMs (%s), one namespace;"
                            + " invalid if more than %s%% of a size's calls fail%n",
                    calls,
                    duration,
                    String.join(" ", callJvmFlags()),
                    number(maxFailedPercent));
            System.out.println("cold: the first call of each size, in fresh processes; warm: the calls after it."
                    + " Percentiles: nearest-rank over all samples of the calls in the row (n),");
            System.out.println(
                    "  setup times one sample per call that got that far, frame latency one per frame received"
                            + " (capture to receipt, both directions).");
            System.out.println(
                    "Frames: sent = each sender's own count of frames its source pushed into its track over the"
                            + " whole call, (before) = of those, pushed before the call connected; received = frames that arrived.");
            // A signaling server runs for days: throw-away calls through it first, so that the cold rows
            // below measure fresh caller and answerer processes, not a fresh server.
            CallWarmUp.Result warm =
                    CallWarmUp.run(CallOptions.defaults(), Duration.ofSeconds(10), signaling, "bench-warm-up");
            System.out.printf(
                    Locale.ROOT,
                    "the server (a process of its own, JVM flags %s) warmed first by calls of its own (%d in %d ms):"
                            + " it runs for days; each caller and answerer process warms up by itself before its first"
                            + " call (the warm-up lines)%n",
                    server.jvmOptions(),
                    warm.calls(),
                    warm.millis());
            List<String> invalid = new ArrayList<>();
            for (String video : videos) {
                invalid.addAll(runSize(signaling, video.trim(), logDir));
            }
            System.out.println();
            System.out.println("logs of the caller and answerer processes: " + logDir.toAbsolutePath());
            System.out.println(invalid.isEmpty() ? "valid run" : "INVALID: " + String.join("; ", invalid));
            return invalid.isEmpty() ? 0 : 1;
        }
    }

    /** Runs one video size's calls and prints its block; returns why the run is invalid (empty if it is not). */
    private List<String> runSize(URI signaling, String video, Path logDir) throws Exception {
        String file = video.replaceAll("[^0-9A-Za-z@x.-]", "_");
        if (!audio.equals("pulse")) {
            return runSize(signaling, video, logDir, file, Map.of(), Map.of());
        }
        // Each side its own sound server, as two machines have: its own clocks, its own microphone's pitch.
        try (SoundServer answererSound = SoundServer.start(logDir.resolve("pulse-answerer-" + file), 660);
                SoundServer callerSound = SoundServer.start(logDir.resolve("pulse-caller-" + file), 440)) {
            return runSize(signaling, video, logDir, file, answererSound.environment(), callerSound.environment());
        }
    }

    private List<String> runSize(
            URI signaling,
            String video,
            Path logDir,
            String file,
            Map<String, String> answererEnv,
            Map<String, String> callerEnv)
            throws Exception {
        String url = signaling.toString();
        String media = audio.equals("pulse") ? "--fake-video" : "--fake-media";
        Process answerer = parley(
                answererEnv,
                logDir.resolve("answerer-" + file + ".err"),
                "answer",
                "--server",
                url,
                "--user",
                "bench-callee",
                media,
                "--video",
                video,
                "--max-calls",
                Integer.toString(calls),
                "--json");
        Lines answers = new Lines(answerer, "bench-answerer", logDir.resolve("answerer-" + file + ".jsonl"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!answers.signedIn && answerer.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Process caller = parley(
                callerEnv,
                logDir.resolve("caller-" + file + ".err"),
                "call",
                "bench-callee",
                "--server",
                url,
                "--user",
                "bench-caller",
                media,
                "--video",
                video,
                "--duration",
                Integer.toString(duration),
                "--calls",
                Integer.toString(calls),
                "--json");
        Lines placed = new Lines(caller, "bench-caller", logDir.resolve("caller-" + file + ".jsonl"));

        // CPU and memory while calls are connected, sampled every 100 ms: the cold call apart, and the warm calls
        // again from 1 s after each connect ("steady": without the encoder's and the JIT's start-up work of a call).
        Cpu cold = new Cpu();
        Cpu warm = new Cpu();
        Cpu steady = new Cpu();
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
            if (c >= 0 && a >= 0 && lastCaller >= 0 && lastAnswer >= 0 && placed.inCall) {
                boolean first = placed.results == 0; // no call has finished yet: this is call 1
                (first ? cold : warm).add(c - lastCaller, a - lastAnswer, now - lastSample);
                if (!first && lastSample - placed.connectedAt > 1_000_000_000L) {
                    steady.add(c - lastCaller, a - lastAnswer, now - lastSample);
                }
                callerRss = Math.max(callerRss, ProcFs.rss(caller.pid()));
                answerRss = Math.max(answerRss, ProcFs.rss(answerer.pid()));
            }
            lastCaller = c;
            lastAnswer = a;
            lastSample = now;
        }
        int callerExit = caller.waitFor();
        boolean answererFinished = answerer.waitFor(20, TimeUnit.SECONDS);
        if (!answererFinished) {
            answerer.destroyForcibly();
            answerer.waitFor(10, TimeUnit.SECONDS);
        }
        placed.join();
        answers.join();

        List<CallRecord> records = CallRecords.of(placed.events(), answers.events(), callerExit, calls);
        List<CallRecord> coldCalls = records.subList(0, 1);
        List<CallRecord> warmCalls = records.subList(1, records.size());
        long failed = records.stream().filter(r -> !r.ok()).count();
        double failedPercent = 100.0 * failed / records.size();

        System.out.printf(
                Locale.ROOT,
                "%n%s, audio %s: %d calls, %d ok, %d failed (%.0f%%); caller exit %d, answerer %s%n",
                video,
                audio.equals("pulse") ? "through PulseAudio (virtual microphone and speaker)" : "headless module",
                records.size(),
                records.size() - failed,
                failed,
                failedPercent,
                callerExit,
                answererFinished ? "exit " + answerer.exitValue() : "did not finish in 20 s (killed)");
        System.out.printf(
                "  %-12s %-27s %-27s %-35s %s%n",
                "calls",
                "invite→connected ms",
                "invite→1st remote frame ms",
                "frame latency ms",
                "video frames, both directions");
        System.out.printf(
                "  %-12s %-27s %-27s %-35s %7s %8s %8s %9s %s%n",
                "",
                "n  p50 / p95 / p99",
                "n  p50 / p95 / p99",
                "n  p50 / p95 / p99",
                "sent",
                "(before)",
                "received",
                "recv/sent",
                "recv/(sent-before)");
        CallRecords.printRow("cold #1", coldCalls);
        CallRecords.printRow(warmCalls.isEmpty() ? "warm -" : "warm #2-" + records.size(), warmCalls);
        System.out.printf(
                Locale.ROOT,
                "  CPU %% of one core, caller+answerer, while connected: cold %s, warm %s, warm steady"
                        + " (from 1 s after connect) %s; peak RSS caller/answerer %d/%d MB%n",
                cold,
                warm,
                steady,
                callerRss >> 20,
                answerRss >> 20);
        TreeSet<String> sizes = new TreeSet<>();
        for (JsonObject e : placed.events()) {
            if (CallRecords.kind(e).equals("first-remote-frame")) {
                sizes.add(e.get("width").getAsInt() + "x" + e.get("height").getAsInt());
            }
        }
        long stamped = records.stream().mapToLong(CallRecord::stampedFrames).sum();
        long sampled = records.stream().mapToLong(r -> r.latencyMicros().length).sum();
        if (sampled < stamped) { // each side keeps the latest 4096 frames' latencies of a call
            System.out.printf(
                    "  frame latency from %d of %d stamped frames: the most recent 4096 per call and side%n",
                    sampled, stamped);
        }
        if (duration > interval) {
            LatencyIntervals.print(
                    LatencyIntervals.of(List.of(placed.events(), answers.events()), interval, duration), interval);
        }
        System.out.println("  first remote frame sizes: " + (sizes.isEmpty() ? "-" : String.join(", ", sizes)));
        System.out.println("  warm-up before the first call (throw-away calls in each process): caller "
                + warmUp(placed.events()) + ", answerer " + warmUp(answers.events()));
        records.stream()
                .filter(r -> !r.ok())
                .limit(10)
                .forEach(r -> System.out.printf("  call %d failed: %s%n", r.index(), r.failure()));
        if (failed > 10) {
            System.out.printf("  ... and %d more failed calls (see the logs)%n", failed - 10);
        }

        List<String> invalid = new ArrayList<>();
        if (audio.equals("pulse")) {
            // A side whose sound server did not answer falls back to the headless module: not what the row says.
            for (String side : List.of("answerer", "caller")) {
                String log = Files.readString(logDir.resolve(side + "-" + file + ".err"));
                if (!log.matches("(?s).*Audio: [1-9][0-9]* microphone\\(s\\).*")) {
                    invalid.add(video + ": the " + side + " did not use its PulseAudio server (see its .err log)");
                }
            }
        }
        if (failed == records.size()) {
            invalid.add(video + ": every call failed");
        } else if (failedPercent > maxFailedPercent) {
            invalid.add(String.format(
                    Locale.ROOT,
                    "%s: %d of %d calls failed, more than %s%%",
                    video,
                    failed,
                    records.size(),
                    number(maxFailedPercent)));
        }
        Phase all = Phase.of(records);
        if (all.latency().count() == 0 || all.connected().count() == 0) {
            invalid.add(video + ": no samples (no call connected and received frames)");
        }
        if (all.sent() == 0) {
            invalid.add(video + ": no frames sent");
        }
        if (callerExit != 0 && failed == 0) {
            invalid.add(video + ": the caller exited " + callerExit + " though no call failed");
        }
        if (!answererFinished) {
            invalid.add(video + ": the answerer did not finish");
        }
        return invalid;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** CPU ticks of the caller and the answerer over connected time: ticks/s = % of one core. */
    private static final class Cpu {
        long caller;
        long answerer;
        long nanos;

        void add(long callerTicks, long answererTicks, long elapsedNanos) {
            caller += callerTicks;
            answerer += answererTicks;
            nanos += elapsedNanos;
        }

        @Override
        public String toString() {
            double seconds = nanos / 1e9;
            return nanos == 0 ? "-" : String.format(Locale.ROOT, "%.0f+%.0f", caller / seconds, answerer / seconds);
        }
    }

    /** "N ms, K calls" from a process's warmed-up event, or "none". */
    private static String warmUp(List<JsonObject> events) {
        return events.stream()
                .filter(e -> "warmed-up".equals(e.get("event").getAsString()))
                .findFirst()
                .map(e -> e.get("tookMs").getAsLong() + " ms, " + e.get("calls").getAsInt() + " call(s)")
                .orElse("none");
    }

    // ---- processes ----

    /**
     * The JVM flags of the callers and answerers: the launcher's for {@code call} and {@code answer} (it passes them
     * as {@code parley.call.jvm}), else the same by default.
     */
    static List<String> callJvmFlags() {
        return BenchServer.flags(System.getProperty(CALL_JVM_PROPERTY, DEFAULT_CALL_JVM));
    }

    /** The launcher's {@code FILE_JVM}, for calls that send or receive a file: C2 on (SHA-256's intrinsic). */
    static List<String> fileJvmFlags() {
        return BenchServer.flags(System.getProperty(FILE_JVM_PROPERTY, DEFAULT_FILE_JVM));
    }

    static Process parley(Map<String, String> env, Path stderr, String... args) throws IOException {
        return parley(callJvmFlags(), env, stderr, args);
    }

    static Process parley(List<String> jvmFlags, Map<String, String> env, Path stderr, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmFlags);
        String level = System.getProperty(LogSetup.LEVEL_PROPERTY); // a debug look at the calls: passed on
        if (level != null) {
            command.add("-D" + LogSetup.LEVEL_PROPERTY + "=" + level);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectError(stderr.toFile());
        b.environment().put("MALLOC_ARENA_MAX", "2");
        b.environment().putAll(env);
        return b.start();
    }

    /** The log directory: --logs, or target/bench-call/TIME under the app module (or the current directory). */
    private Path logDirectory() {
        if (logs != null) {
            return logs.toAbsolutePath();
        }
        return timedLogs("bench-call");
    }

    /** target/NAME/TIME under the app module (the current directory outside the launcher). */
    static Path timedLogs(String name) {
        String home = System.getProperty("parley.home");
        Path base = home == null ? Path.of("target") : Path.of(home, "app", "target");
        return base.resolve(name)
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                .toAbsolutePath();
    }

    /** Runs this same command again inside a fresh network namespace with a veth pair. */
    private int reexecInNamespace() throws Exception {
        return reexecInNamespace("bench call", logDirectory());
    }

    /** True in the process {@link #reexecInNamespace(String, Path)} started. */
    static boolean inNamespace() {
        return System.getenv(IN_NAMESPACE) != null;
    }

    /** The log directory the namespace's parent named (null outside one). */
    static Path namedLogs() {
        String named = System.getenv(LOGS_ENV);
        return named == null ? null : Path.of(named);
    }

    /**
     * Runs this same command again inside a fresh network namespace with a veth pair (198.18.0.1/24 and .2/24), with
     * {@code logs} named for it; returns its exit status, or 2 without root.
     */
    static int reexecInNamespace(String what, Path logs) throws Exception {
        return reexecInNamespace(what, logs, List.of());
    }

    /** As above, the JVM given {@code jvmFlags} too (after its own). */
    static int reexecInNamespace(String what, Path logs, List<String> jvmFlags) throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            System.err.println("parley: " + what + " needs root, to make a private network namespace (try sudo)");
            return 2;
        }
        String setup = "set -e; ip link set lo up; ip link add pa type veth peer name pb; "
                + "ip addr add 198.18.0.1/24 dev pa; ip addr add 198.18.0.2/24 dev pb; "
                + "ip link set pa up; ip link set pb up; exec \"$@\"";
        List<String> command = new ArrayList<>(List.of(
                "unshare",
                "--net",
                "sh",
                "-c",
                setup,
                "sh",
                ProcessHandle.current().info().command().orElse("java")));
        List<String> arguments = new ArrayList<>(
                ProcessHandle.current().info().arguments().map(Arrays::asList).orElseThrow());
        int main = Math.max(0, arguments.indexOf("-cp"));
        arguments.addAll(main, jvmFlags);
        command.addAll(arguments);
        ProcessBuilder b = new ProcessBuilder(command).inheritIO();
        b.environment().put(IN_NAMESPACE, "1");
        b.environment().put(LOGS_ENV, logs.toString()); // named once, here, so both processes agree
        return b.start().waitFor();
    }

    /** Reads a child's output on a thread of its own: keeps every line in a file and the JSON events in memory. */
    static final class Lines {
        private final List<JsonObject> events = Collections.synchronizedList(new ArrayList<>());
        volatile boolean inCall;
        volatile long connectedAt;
        volatile int results; // call-result events so far: calls finished
        volatile boolean signedIn;
        private final Thread reader;

        Lines(Process p, String name, Path copy) {
            reader = new Thread(
                    () -> {
                        try (BufferedReader r = new BufferedReader(
                                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                                BufferedWriter out = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
                            String line;
                            while ((line = r.readLine()) != null) {
                                out.write(line);
                                out.newLine();
                                if (!line.startsWith("{")) {
                                    continue; // webrtc-java's own messages at exit
                                }
                                JsonObject e;
                                try {
                                    e = JsonParser.parseString(line).getAsJsonObject();
                                } catch (RuntimeException bad) {
                                    log.warn("{}: not an event: {}", name, line);
                                    continue;
                                }
                                events.add(e);
                                switch (CallRecords.kind(e)) {
                                    case "state" -> {
                                        boolean connected =
                                                CallRecords.text(e, "state").equals("connected");
                                        if (connected && !inCall) {
                                            connectedAt = System.nanoTime();
                                        }
                                        inCall = connected;
                                    }
                                    case "ended" -> inCall = false;
                                    case "call-result" -> results++;
                                    case "signed-in" -> signedIn = true;
                                    default -> {}
                                }
                            }
                        } catch (IOException | RuntimeException e) {
                            log.warn("{}: stopped reading its output: {}", name, e.toString());
                        }
                    },
                    name);
            reader.setDaemon(true);
            reader.start();
        }

        List<JsonObject> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        void join() throws InterruptedException {
            reader.join(10_000);
        }
    }
}
