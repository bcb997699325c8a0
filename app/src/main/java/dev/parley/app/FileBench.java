package dev.parley.app;

import com.google.gson.JsonObject;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley bench file}: one file over a real call between two Parley processes in a private network
 * namespace ({@code call --send-file} to {@code answer --receive-dir}), with the throughput and each side's memory
 * while it moves. The run is invalid (exit 1) unless the file arrives whole and checked.
 */
@Command(
        name = "file",
        mixinStandardHelpOptions = true,
        description = {
            "Benchmark sending a file over a call between two local Parley processes in a private network namespace.",
            "Prints the throughput (MB/s, 10^6 bytes) and each side's resident memory before and at its peak while the",
            "file moves. Exit status 1 if the file did not arrive whole. Needs root (for the network namespace)."
        })
final class FileBench implements Callable<Integer> {
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kmg]?)", Pattern.CASE_INSENSITIVE);

    @Option(
            names = "--size",
            paramLabel = "SIZE",
            defaultValue = "1g",
            description = "The file's size: bytes, or with k, m or g (2^10, 2^20, 2^30) (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(
            names = "--no-link",
            description = "Move the file on the call's own connection, as Parleys before file links did (to compare).")
    boolean noLink;

    @Option(
            names = "--runs",
            paramLabel = "N",
            defaultValue = "1",
            description =
                    "Send the file this many times, each between two new processes, and print every run and"
                            + " the median (the throughput varies from run to run on a shared machine) (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
            names = "--logs",
            paramLabel = "DIR",
            description = "Where to keep both processes' output (default: target/bench-file/<time>/ under the app"
                    + " module). The file and its copy are made there and deleted at the end.")
    Path logs;

    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--size looks like 500m or 1g, not " + text);
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (n <= 0 || n > (Long.MAX_VALUE >> 40)) {
            throw new IllegalArgumentException("--size must be above 0 and sensible, not " + text);
        }
        return n << shift;
    }

    @Override
    public Integer call() throws Exception {
        long bytes = parseSize(size);
        if (runs < 1 || runs > 100) {
            throw new IllegalArgumentException("--runs is 1 to 100, not " + runs);
        }
        if (!CallBench.inNamespace()) {
            // The harness only watches: C1 alone keeps its compiling off the two processes it measures (C2 took a
            // fifth of a core while the bytes moved).
            return CallBench.reexecInNamespace("bench file", logDirectory(), List.of("-XX:TieredStopAtLevel=1"));
        }
        Path logDir = Optional.ofNullable(CallBench.namedLogs()).orElse(logDirectory());
        Path inbox = Files.createDirectories(logDir.resolve("inbox"));
        Path file = logDir.resolve("sent.bin");
        List<String> jvm = new java.util.ArrayList<>(CallBench.fileJvmFlags());
        if (noLink) {
            jvm.add("-Dparley.fileLinks=false");
        }
        try (SignalingServer server =
                SignalingServer.start(ServerConfig.builder().port(0).build())) {
            long madeAt = System.nanoTime();
            write(file, bytes);
            System.out.printf(
                    Locale.ROOT,
                    "a file of %,d bytes made in %.1f s; sending it over a call (caller and answerer in separate JVMs,"
                            + " one namespace, veth link)%n",
                    bytes,
                    (System.nanoTime() - madeAt) / 1e9);
            List<Double> rates = new java.util.ArrayList<>();
            int invalid = 0;
            for (int run = 1; run <= runs; run++) {
                if (runs > 1) {
                    System.out.printf(Locale.ROOT, "%nrun %d of %d%n", run, runs);
                }
                Path runLogs = runs > 1 ? Files.createDirectories(logDir.resolve("run-" + run)) : logDir;
                Double rate = once(server, file, inbox, runLogs, bytes, jvm);
                if (rate == null) {
                    invalid++;
                } else {
                    rates.add(rate);
                }
                empty(inbox);
            }
            if (runs > 1) {
                System.out.println();
                System.out.println(summary(rates, invalid));
            }
            System.out.println("logs of both processes: " + logDir.toAbsolutePath());
            return invalid == 0 ? 0 : 1;
        } finally {
            Files.deleteIfExists(file);
            empty(inbox);
        }
    }

    /** "5 runs, 0 invalid: median 36.5 MB/s, lowest 33.2, highest 41.7; each in turn: 33.2, …". */
    static String summary(List<Double> rates, int invalid) {
        StringBuilder b =
                new StringBuilder(String.format(Locale.ROOT, "%d runs, %d invalid", rates.size() + invalid, invalid));
        if (!rates.isEmpty()) {
            List<Double> sorted = rates.stream().sorted().toList();
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            b.append(String.format(
                    Locale.ROOT,
                    ": median %.1f MB/s, lowest %.1f, highest %.1f; each in turn: %s",
                    median,
                    sorted.get(0),
                    sorted.get(n - 1),
                    String.join(
                            ", ",
                            rates.stream()
                                    .map(r -> String.format(Locale.ROOT, "%.1f", r))
                                    .toList())));
        }
        return b.toString();
    }

    private static void empty(Path dir) throws java.io.IOException {
        try (var left = Files.list(dir)) {
            for (Path p : left.toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One transfer between two new processes: its MB/s, or null if the file did not arrive whole. */
    private static Double once(SignalingServer server, Path file, Path inbox, Path logDir, long bytes, List<String> jvm)
            throws Exception {
        String url = server.uri().toString();
        Process answerer = CallBench.parley(
                jvm,
                Map.of(),
                logDir.resolve("answerer.err"),
                "answer",
                "--server",
                url,
                "--user",
                "bench-receiver",
                "--fake-media",
                "--video",
                "320x240@15",
                "--receive-dir",
                inbox.toString(),
                "--max-calls",
                "1",
                "--json");
        CallBench.Lines received = new CallBench.Lines(answerer, "bench-receiver", logDir.resolve("answerer.jsonl"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!received.signedIn && answerer.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50); // this run's answerer, not one still signed in from the run before
        }
        if (!received.signedIn) {
            answerer.destroyForcibly();
            System.out.println("INVALID: the answerer did not sign in within 30 s (logs: " + logDir + ")");
            return null;
        }
        Process caller = CallBench.parley(
                jvm,
                Map.of(),
                logDir.resolve("caller.err"),
                "call",
                "bench-receiver",
                "--server",
                url,
                "--user",
                "bench-sender",
                "--fake-media",
                "--video",
                "320x240@15",
                "--send-file",
                file.toString(),
                "--json");
        CallBench.Lines sent = new CallBench.Lines(caller, "bench-sender", logDir.resolve("caller.jsonl"));
        // Memory: each side's resident set when the bytes start to move, and its peak while they do.
        long[] before = {-1, -1};
        long[] peak = {0, 0};
        // CPU: each side's threads when the bytes start to move and at the last look while they do.
        List<Map<String, Long>> threadsBefore = new java.util.ArrayList<>(List.of(Map.of(), Map.of()));
        List<Map<String, Long>> threadsLast = new java.util.ArrayList<>(List.of(Map.of(), Map.of()));
        long[] cpuWindow = {0, 0}; // nanoTime of the first and the last look
        while (caller.isAlive()) {
            Thread.sleep(250); // a look costs the harness CPU the two sides would use
            boolean moving =
                    sent.events().stream().anyMatch(e -> CallRecords.kind(e).equals("file-progress"));
            boolean over = sent.events().stream()
                    .anyMatch(e -> CallRecords.kind(e).equals("file-done")
                            || CallRecords.kind(e).equals("file-failed"));
            if (!moving || over) {
                continue;
            }
            long[] now = {ProcFs.rss(caller.pid()), ProcFs.rss(answerer.pid())};
            List<Map<String, Long>> threads =
                    List.of(ProcFs.threadTicks(caller.pid()), ProcFs.threadTicks(answerer.pid()));
            for (int i = 0; i < 2; i++) {
                if (before[i] < 0) {
                    before[i] = now[i];
                    threadsBefore.set(i, threads.get(i));
                    cpuWindow[0] = System.nanoTime();
                }
                peak[i] = Math.max(peak[i], now[i]);
                threadsLast.set(i, threads.get(i));
            }
            cpuWindow[1] = System.nanoTime();
        }
        int callerExit = caller.waitFor();
        boolean answererDone = answerer.waitFor(30, TimeUnit.SECONDS);
        if (!answererDone) {
            answerer.destroyForcibly();
        }
        sent.join();
        received.join();
        JsonObject done = find(received.events(), "file-done");
        JsonObject failed = find(sent.events(), "file-failed");
        System.out.println();
        if (done == null || callerExit != 0) {
            System.out.println("INVALID: the file did not arrive: "
                    + (failed != null ? CallRecords.text(failed, "reason") : "caller exit " + callerExit)
                    + " (logs: " + logDir + ")");
            return null;
        }
        Path copy = Path.of(done.get("savedAs").getAsString());
        long arrived = Files.size(copy);
        System.out.printf(
                Locale.ROOT,
                "%,d bytes in %.2f s: %.1f MB/s (from accept to the last byte written; SHA-256 checked: %s;"
                        + " on %s)%n",
                arrived,
                done.get("seconds").getAsDouble(),
                done.get("megabytesPerSecond").getAsDouble(),
                done.has("sha256Checked") && done.get("sha256Checked").getAsBoolean() ? "yes" : "no",
                !(done.has("onLink") && done.get("onLink").getAsBoolean())
                        ? "the call's connection"
                        : done.has("overTcp") && done.get("overTcp").getAsBoolean()
                                ? "a file link over TCP, a connection of its own"
                                : "a file link over UDP, a connection of its own");
        System.out.printf(
                Locale.ROOT,
                "resident memory when the bytes began to move -> peak while they moved: sender %d -> %d MB"
                        + " (+%d), receiver %d -> %d MB (+%d)%n",
                before[0] >> 20,
                peak[0] >> 20,
                (peak[0] - before[0]) >> 20,
                before[1] >> 20,
                peak[1] >> 20,
                (peak[1] - before[1]) >> 20);
        double seconds = (cpuWindow[1] - cpuWindow[0]) / 1e9;
        if (seconds > 1) {
            System.out.printf(
                    Locale.ROOT,
                    "CPU while the bytes moved, in cores (this machine has %d), busiest threads first:%n",
                    Runtime.getRuntime().availableProcessors());
            String[] side = {"sender", "receiver"};
            for (int i = 0; i < 2; i++) {
                System.out.println("  " + side[i] + ": " + cores(threadsBefore.get(i), threadsLast.get(i), seconds));
            }
        }
        System.out.println("targets (issue 20): >= 40 MB/s; memory growth <= 32 MB for a 1 GB file");
        boolean whole = arrived == bytes;
        System.out.println(whole ? "valid run" : "INVALID: " + arrived + " of " + bytes + " bytes arrived");
        return whole ? done.get("megabytesPerSecond").getAsDouble() : null;
    }

    /** "1.05 in all: webrtc_jni_netw 0.58, …" (the five busiest threads), from two looks at the threads' ticks. */
    static String cores(Map<String, Long> before, Map<String, Long> after, double seconds) {
        Map<String, Long> used = new java.util.HashMap<>();
        after.forEach((name, t) -> used.put(name, t - before.getOrDefault(name, 0L)));
        double ticksPerSecond = 100; // USER_HZ
        double all = used.values().stream().mapToLong(Long::longValue).sum() / ticksPerSecond / seconds;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%.2f in all", all));
        used.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(5)
                .forEach(e -> b.append(
                        String.format(Locale.ROOT, ", %s %.2f", e.getKey(), e.getValue() / ticksPerSecond / seconds)));
        return b.toString();
    }

    private static JsonObject find(List<JsonObject> events, String kind) {
        return events.stream()
                .filter(e -> CallRecords.kind(e).equals(kind))
                .findFirst()
                .orElse(null);
    }

    /** Random bytes (not compressible, not all alike), written in 1 MiB blocks. */
    private static void write(Path file, long bytes) throws java.io.IOException {
        SplittableRandom random = new SplittableRandom(bytes);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                for (int i = 0; i < block.length; i += 8) {
                    long v = random.nextLong();
                    for (int k = 0; k < 8; k++) {
                        block[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    private Path logDirectory() {
        if (logs != null) {
            return logs.toAbsolutePath();
        }
        return CallBench.timedLogs("bench-file");
    }
}
