package dev.parley.natlab;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A headless {@code parley call} or {@code parley answer} in a namespace, its {@code --json} events timestamped as they come. */
final class Parley {
    static final Map<String, String> ENV = Map.of("MALLOC_ARENA_MAX", "2");

    /** One event and when the test read it ({@code System.nanoTime()}). */
    record Event(long nanos, JsonObject json) {
        String name() {
            return json.get("event").getAsString();
        }

        String text(String field) {
            return json.has(field) ? json.get(field).getAsString() : "";
        }
    }

    final Process process;
    final Path errLog;
    final long startNanos = System.nanoTime();
    private final List<Event> events = new ArrayList<>();

    private Parley(Process process, Path errLog) {
        this.process = process;
        this.errLog = errLog;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("{")) {
                        JsonObject json = JsonParser.parseString(line).getAsJsonObject();
                        synchronized (events) {
                            events.add(new Event(System.nanoTime(), json));
                        }
                    }
                }
            } catch (Exception e) {
                // the process ended
            }
        }, "parley-events");
        reader.setDaemon(true);
        reader.start();
    }

    /** The JVM command that runs Parley's main from this test class path. */
    static List<String> java() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms64m", "-Xmx192m",
                "-cp", System.getProperty("java.class.path"), "dev.parley.app.Main");
    }

    /** {@code parley answer} for bob: answers one call. Returns once bob is signed in. */
    static Parley answer(NetLab lab, String ns, URI server) throws Exception {
        Path err = lab.dir.resolve("answer.err");
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(List.of("answer", "--server", server.toString(), "--user", "bob", "--max-calls", "1", "--json",
                "--fake-media", "--video", "320x240@15"));
        Parley p = new Parley(lab.spawnPiped(ns, err, cmd, ENV), err);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(err) && Files.readString(err).contains("answering calls for bob")) {
                return p;
            }
            if (!p.process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("parley answer did not sign in: " + (Files.exists(err) ? Files.readString(err) : ""));
    }

    /** {@code parley call bob} from alice, for {@code seconds}. */
    static Parley call(NetLab lab, String ns, URI server, int seconds) throws Exception {
        Path err = lab.dir.resolve("call.err");
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(List.of("call", "bob", "--server", server.toString(), "--user", "alice", "--duration",
                String.valueOf(seconds), "--json", "--fake-media", "--video", "320x240@15"));
        return new Parley(lab.spawnPiped(ns, err, cmd, ENV), err);
    }

    boolean awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    Event first(String name) {
        return events().stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
    }

    /** The newest stats event with a selected candidate pair, or null. */
    Event lastRoute() {
        List<Event> all = events();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).name().equals("stats") && all.get(i).json().has("localCandidate")) {
                return all.get(i);
            }
        }
        return null;
    }

    /** Waits for an event that matches. */
    Event await(Predicate<Event> match, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (Event e : events()) {
                if (match.test(e)) {
                    return e;
                }
            }
            Thread.sleep(50);
        }
        return null;
    }

    /** ms from the caller's dial to "connected", from its own clock; -1 if it never connected. */
    long msToConnected() {
        return events().stream().filter(e -> e.name().equals("state") && e.text("state").equals("connected"))
                .mapToLong(e -> e.json().get("ms").getAsLong()).findFirst().orElse(-1);
    }

    String stderr() throws java.io.IOException {
        return Files.exists(errLog) ? Files.readString(errLog) : "";
    }

    /** "srflx 203.0.113.2:40000 → host 203.0.113.20:50000 udp" from a stats event. */
    static String route(Event stats) {
        if (stats == null) {
            return "none";
        }
        String relay = stats.text("relayProtocol");
        return stats.text("localCandidate") + " " + stats.text("localAddress") + " → " + stats.text("remoteCandidate")
                + " " + stats.text("remoteAddress") + " " + stats.text("protocol") + (relay.isEmpty() ? "" : " (to TURN over " + relay + ")");
    }
}
