package dev.parley.natlab;

import com.google.gson.JsonObject;
import dev.parley.testsupport.ChildProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A headless {@code parley call} or {@code parley answer} in a namespace. Its {@code --json} events carry the
 * wall-clock time they happened ({@code epochMs}), so they compare with what the test did and when.
 */
final class Parley {
    static final Map<String, String> ENV = Map.of("MALLOC_ARENA_MAX", "2");

    /** Every lab process: JSON events, synthetic media, small video. */
    private static final List<String> HEADLESS = List.of("--json", "--fake-media", "--video", "320x240@15");

    /** One event: its name, its fields, and when it happened (epoch ms, the process's own clock). */
    record Event(JsonObject json) {
        String name() {
            return json.get("event").getAsString();
        }

        long epochMs() {
            return json.get("epochMs").getAsLong();
        }

        String text(String field) {
            return json.has(field) ? json.get(field).getAsString() : "";
        }
    }

    final ChildProcess process;

    private Parley(ChildProcess process) {
        this.process = process;
    }

    /** The JVM command that runs Parley's main from this test class path. */
    static List<String> java() {
        return ChildProcess.java("dev.parley.app.Main", "-Xms64m", "-Xmx192m");
    }

    /** {@code parley answer} for bob: answers one call. Returns once bob is signed in. */
    static Parley answer(NetLab lab, String ns, URI server) {
        return answer(lab, ns, server, List.of());
    }

    /** {@code parley answer} for bob with these further options (e.g. {@code --receive-dir DIR}). */
    static Parley answer(NetLab lab, String ns, URI server, List<String> more) {
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(List.of(
                "answer",
                "--server",
                server.toString(),
                "--user",
                "bob",
                "--max-calls",
                "1",
                "--json",
                "--fake-media",
                "--video",
                "320x240@15"));
        cmd.addAll(more);
        Parley p = new Parley(lab.spawn(ns, "answer", cmd, ENV));
        p.process.awaitErrorLine(l -> l.contains("answering calls for bob"), Duration.ofSeconds(30), "bob signed in");
        return p;
    }

    /** {@code parley call bob} from alice, for {@code seconds}. */
    static Parley call(NetLab lab, String ns, URI server, int seconds) {
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(List.of(
                "call",
                "bob",
                "--server",
                server.toString(),
                "--user",
                "alice",
                "--duration",
                String.valueOf(seconds),
                "--json",
                "--fake-media",
                "--video",
                "320x240@15"));
        return new Parley(lab.spawn(ns, "call", cmd, ENV));
    }

    /** {@code parley call bob --send-file FILE} from alice: the call ends once bob has the file (exit 0 only then). */
    static Parley sendFile(NetLab lab, String ns, URI server, Path file) {
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(List.of(
                "call", "bob", "--server", server.toString(), "--user", "alice", "--send-file", file.toString()));
        cmd.addAll(HEADLESS);
        return new Parley(lab.spawn(ns, "call", cmd, ENV));
    }

    /** {@code parley invite create} as alice, with this STUN server, hanging up {@code seconds} after connecting. */
    static Parley inviteCreate(NetLab lab, String ns, String stun, int seconds) {
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(
                List.of("invite", "create", "--name", "alice", "--stun", stun, "--duration", String.valueOf(seconds)));
        cmd.addAll(HEADLESS);
        return new Parley(lab.spawn(ns, "invite-create", cmd, ENV));
    }

    /** {@code parley invite accept CODE} as bob, with this STUN server. */
    static Parley inviteAccept(NetLab lab, String ns, String stun, String code) {
        List<String> cmd = new ArrayList<>(java());
        cmd.addAll(List.of("invite", "accept", code, "--name", "bob", "--stun", stun));
        cmd.addAll(HEADLESS);
        return new Parley(lab.spawn(ns, "invite-accept", cmd, ENV));
    }

    /** Waits for the process to exit and asserts its status. */
    void assertExit(int status, long seconds) {
        process.assertExit(status, Duration.ofSeconds(seconds));
    }

    List<Event> events() {
        return process.events().stream()
                .filter(e -> e.has("event"))
                .map(Event::new)
                .toList();
    }

    Optional<Event> first(String name) {
        return events().stream().filter(e -> e.name().equals(name)).findFirst();
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

    /** Waits for an event that matches; fails, quoting the process's output, if none comes in time. */
    Event await(Predicate<Event> match, long seconds, String what) {
        return new Event(
                process.awaitEvent(e -> e.has("event") && match.test(new Event(e)), Duration.ofSeconds(seconds), what));
    }

    boolean wentReconnecting() {
        return events().stream()
                .anyMatch(e -> e.name().equals("state") && e.text("state").equals("reconnecting"));
    }

    /** ms from the caller's dial to "connected", from its own clock; -1 if it never connected. */
    long msToConnected() {
        return events().stream()
                .filter(e -> e.name().equals("state") && e.text("state").equals("connected"))
                .mapToLong(e -> e.json().get("ms").getAsLong())
                .findFirst()
                .orElse(-1);
    }

    String stderr() {
        return process.stderr();
    }

    /** "srflx 203.0.113.2:40000 → host 203.0.113.20:50000 udp" from a stats event. */
    static String route(Event stats) {
        if (stats == null) {
            return "none";
        }
        String relay = stats.text("relayProtocol");
        return stats.text("localCandidate") + " " + stats.text("localAddress") + " → " + stats.text("remoteCandidate")
                + " " + stats.text("remoteAddress") + " " + stats.text("protocol")
                + (relay.isEmpty() ? "" : " (to TURN over " + relay + ")");
    }

    /** The log file's path, for failure messages that point at the whole output. */
    Path stdoutFile() {
        return process.stdoutFile();
    }
}
