package dev.parley.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The signaling server that {@code parley bench signaling} measures: a {@code parley server --open} process of its
 * own on a free port, with the JVM options asked for, whose address and once-a-second statistics lines it reads.
 */
final class BenchServer implements AutoCloseable {
    private final Process process;
    private final String jvmOptions;
    private final AtomicReference<String> lastStats = new AtomicReference<>("{}");
    private final CompletableFuture<String> url = new CompletableFuture<>();

    private BenchServer(Process process, String jvmOptions) {
        this.process = process;
        this.jvmOptions = jvmOptions;
    }

    /** Starts the server with {@code jvm} options (null: the launcher's, from {@code parley.server.jvm}). */
    static BenchServer start(String jvm, String... serverArgs) throws IOException {
        String opts = jvm != null ? jvm : System.getProperty("parley.server.jvm", "");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(flags(opts));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "server",
                "--open",
                "--port",
                "0",
                "--stats-interval",
                "1"));
        command.addAll(Arrays.asList(serverArgs));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "bench-server-stop")); // the bench stopped early
        BenchServer server = new BenchServer(p, opts.isBlank() ? "(defaults)" : opts);
        Thread reader = new Thread(server::readOutput, "bench-server-out");
        reader.setDaemon(true);
        reader.start();
        return server;
    }

    /** JVM flags given as one string, as the launcher passes them: split at white space. */
    static List<String> flags(String opts) {
        return opts.isBlank() ? List.of() : List.of(opts.strip().split("\\s+"));
    }

    private void readOutput() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
    }

    Process process() {
        return process;
    }

    /** The JVM options the server runs with, as printed. */
    String jvmOptions() {
        return jvmOptions;
    }

    /** The address the server prints once it listens. */
    String url(Duration within) throws InterruptedException, ExecutionException, TimeoutException {
        return url.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends the server process: asked first, forced after 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** A number from the newest statistics line, or "0" if it has none yet. */
    String stat(String name) {
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
    long liveHeap() throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!gc.waitFor(30, TimeUnit.SECONDS) || gc.exitValue() != 0) {
                return -1;
            }
        } catch (IOException e) {
            return -1;
        }
        Thread.sleep(2200); // the next stats line comes after the collection
        return Long.parseLong(stat("heapUsed"));
    }
}
