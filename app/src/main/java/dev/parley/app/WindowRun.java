package dev.parley.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One start of a JVM that opens a window (Parley's, or the bare one of {@code bench start}) as a first run: a fresh,
 * empty home; the time from its JVM start to the window, read from the line it prints when the window shows; then
 * SIGTERM, as a logout ends it, and a wait for its exit (a JVM that writes a class-data archive or a class list
 * completes it then). For {@code bench start} and the package's class list.
 */
final class WindowRun {
    private static final Pattern SHOWN = Pattern.compile("Window shown (\\d+) ms after the JVM started");
    private static final long WINDOW_LIMIT_SECONDS = 90;
    private static final long EXIT_LIMIT_SECONDS = 60;

    private WindowRun() {}

    /**
     * Runs {@code command} (stdout discarded) with {@code env} added, lets it run on for {@code settle} once its
     * window shows, and ends it.
     *
     * @return ms from its JVM start to its window, or -1 if no window showed within 90 s
     */
    static long run(List<String> command, Map<String, String> env, Duration settle)
            throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("parley-window-run");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        Process p = pb.start();
        long shown = -1;
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WINDOW_LIMIT_SECONDS);
            String line;
            while (shown < 0 && System.nanoTime() < deadline && (line = err.readLine()) != null) {
                Matcher m = SHOWN.matcher(line);
                if (m.find()) {
                    shown = Long.parseLong(m.group(1));
                }
            }
            if (shown >= 0 && !settle.isZero()) {
                Thread.sleep(settle.toMillis());
            }
        } finally {
            p.destroy();
            if (!p.waitFor(EXIT_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            deleteTree(home);
        }
        return shown;
    }

    /** Deletes {@code dir} and all below it; nothing if it does not exist. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
