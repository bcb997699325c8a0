package dev.parley.app;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code parley call} and {@code parley answer} as separate processes, through a real server, real WebRTC. */
@Timeout(120)
class HeadlessCallTest {
    @TempDir
    Path dir;

    private Process parley(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    /** The JSON events a process printed (the native library may add a stray line at exit: skipped). */
    private List<JsonObject> events(String name) throws IOException {
        return Files.readAllLines(dir.resolve(name + ".out"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("{")).map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    private static JsonObject find(List<JsonObject> events, String event) {
        return events.stream().filter(e -> e.get("event").getAsString().equals(event)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " in " + events));
    }

    @Test
    void aCallConnectsThroughTheServerShowsVideoAndBothSidesExitCleanly() throws Exception {
        try (SignalingServer server = SignalingServer.start(ServerConfig.builder().bind("127.0.0.1").port(0).build())) {
            String url = server.uri().toString();
            Process answer = parley("answer", "answer", "--server", url, "--user", "bob", "--max-calls", "1", "--json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.stats().onlineUsers() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Process call = parley("call", "call", "bob", "--server", url, "--user", "alice", "--duration", "2",
                    "--json", "--fake-media");
            assertTrue(call.waitFor(60, TimeUnit.SECONDS), "the call did not finish");
            assertEquals(0, call.exitValue(), Files.readString(dir.resolve("call.err")));
            assertTrue(answer.waitFor(30, TimeUnit.SECONDS), "the answering side did not finish");
            assertEquals(0, answer.exitValue(), Files.readString(dir.resolve("answer.err")));

            List<JsonObject> caller = events("call");
            assertEquals("connected", caller.stream().filter(e -> e.get("event").getAsString().equals("state"))
                    .map(e -> e.get("state").getAsString()).filter("connected"::equals).findFirst().orElse("never"));
            long firstFrame = find(caller, "first-remote-frame").get("msSinceInvite").getAsLong();
            assertTrue(firstFrame > 0 && firstFrame < 10_000, "first frame after " + firstFrame + " ms");
            assertEquals("hung-up", find(caller, "ended").get("reason").getAsString());
            assertEquals("remote-hung-up", find(events("answer"), "ended").get("reason").getAsString());
        }
    }

    @Test
    void callingSomeoneOfflineFailsWithAOneLineReason() throws Exception {
        try (SignalingServer server = SignalingServer.start(ServerConfig.builder().bind("127.0.0.1").port(0).build())) {
            Process call = parley("call", "call", "nobody", "--server", server.uri().toString(), "--user", "alice");
            assertTrue(call.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, call.exitValue());
            String err = Files.readString(dir.resolve("call.err"));
            assertTrue(err.contains("parley: the call with nobody ended: unavailable"), err);
        }
    }

    @Test
    void aServerThatIsNotThereIsAClearError() throws Exception {
        Process call = parley("call", "call", "bob", "--server", "ws://127.0.0.1:9/signal", "--user", "alice");
        assertTrue(call.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, call.exitValue());
        String err = Files.readString(dir.resolve("call.err"));
        assertTrue(err.contains("parley: cannot reach ws://127.0.0.1:9/signal"), err);
    }
}
