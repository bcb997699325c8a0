package dev.parley.testsupport;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A process a test starts (a {@code parley} command, a tool), with its stdout and stderr going to files in the
 * test's directory rather than to pipes. The test never blocks on a pipe read that a hung child could hold
 * forever: it polls the files with a deadline, and every wait ends in a result or a failure that quotes what the
 * child printed. {@link #close()} kills the child and its descendants.
 */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private ChildProcess(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code command} with stdout in {@code dir/NAME.out} and stderr in {@code dir/NAME.err}. */
    public static ChildProcess start(Path dir, String name, List<String> command, Map<String, String> env) {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        try {
            Files.createDirectories(dir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().putAll(env);
            return new ChildProcess(name, builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    public static ChildProcess start(Path dir, String name, List<String> command) {
        return start(dir, name, command, Map.of());
    }

    /** {@code java [jvmArgs] -cp <this test's class path> mainClass}: a fresh JVM on the test class path. */
    public static List<String> java(String mainClass, String... jvmArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        return command;
    }

    public Process process() {
        return process;
    }

    /** Writes to the child's stdin and keeps it open (a person typing or pasting one line, then another). */
    public void write(String text) {
        try {
            var in = process.getOutputStream();
            in.write(text.getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " did not take its input", e);
        }
    }

    /** Writes to the child's stdin and closes it. */
    public void input(String text) {
        try (var in = process.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(name + " did not take its input", e);
        }
    }

    public String stdout() {
        return read(out);
    }

    public String stderr() {
        return read(err);
    }

    public Path stdoutFile() {
        return out;
    }

    /** Complete lines printed on stdout so far (a line still being written is left out). */
    public List<String> lines() {
        return completeLines(stdout());
    }

    /** Complete lines printed on stderr so far. */
    public List<String> errorLines() {
        return completeLines(stderr());
    }

    /** The JSON objects printed on stdout so far, one per line (other lines are skipped). */
    public List<JsonObject> events() {
        List<JsonObject> events = new ArrayList<>();
        for (String line : lines()) {
            if (line.startsWith("{")) {
                events.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        return events;
    }

    /** The JSON events named {@code event} (their "event" field). */
    public List<JsonObject> events(String event) {
        return events().stream()
                .filter(e -> e.has("event") && e.get("event").getAsString().equals(event))
                .toList();
    }

    public Optional<JsonObject> firstEvent(String event) {
        return events(event).stream().findFirst();
    }

    /** Waits for a JSON event that matches; fails (quoting the child's output) if none comes in time or it exits. */
    public JsonObject awaitEvent(Predicate<JsonObject> match, Duration timeout, String what) {
        return awaitFound(() -> events().stream().filter(match).findFirst(), timeout, what);
    }

    /** Waits for a stdout line that matches. */
    public String awaitLine(Predicate<String> match, Duration timeout, String what) {
        return awaitFound(() -> lines().stream().filter(match).findFirst(), timeout, what);
    }

    /** Waits for a stderr line that matches (logs go there). */
    public String awaitErrorLine(Predicate<String> match, Duration timeout, String what) {
        return awaitFound(() -> errorLines().stream().filter(match).findFirst(), timeout, what);
    }

    private <T> T awaitFound(Supplier<Optional<T>> find, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> found = find.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (!process.isAlive()) {
                found = find.get(); // it may have printed it just before exiting
                if (found.isPresent()) {
                    return found.get();
                }
                throw new AssertionError(
                        name + " exited (" + process.exitValue() + ") before " + what + "\n" + report());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": no " + what + " within " + timeout.toMillis() + " ms\n" + report());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Waits for the child to exit and returns its status; kills it and fails if it has not exited in time. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new AssertionError(
                        name + " did not exit within " + timeout.toMillis() + " ms (killed)\n" + report());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /** Like {@link #awaitExit} and the status must be {@code expected}. */
    public void assertExit(int expected, Duration timeout) {
        int status = awaitExit(timeout);
        if (status != expected) {
            throw new AssertionError(name + " exited with " + status + ", expected " + expected + "\n" + report());
        }
    }

    /** SIGTERM, as a service manager or a desktop session ending sends. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: the child gets no chance to say goodbye. */
    public void kill() {
        process.destroyForcibly();
    }

    /** The tail of what the child printed, for failure messages. */
    public String report() {
        return "--- " + name + " stdout (tail):\n" + tail(stdout()) + "\n--- " + name + " stderr (tail):\n"
                + tail(stderr());
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
    }

    private static List<String> completeLines(String text) {
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : text.substring(0, end).lines().toList();
    }

    private static String read(Path file) {
        try {
            // Bytes, not Files.readString: a character the child is half-way through writing must not throw.
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
