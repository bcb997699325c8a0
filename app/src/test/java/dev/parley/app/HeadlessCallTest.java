package dev.parley.app;

import dev.parley.testsupport.SystemTest;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code parley call} and {@code parley answer} as separate processes, through a real server, real WebRTC. */
@SystemTest
@Timeout(120)
class HeadlessCallTest {
    @TempDir
    Path dir;

    private Process parley(String name, String... args) throws IOException {
        return ParleyProcess.builder(args).redirectOutput(dir.resolve(name + ".out").toFile())
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
                    "--json", "--fake-media", "--say", "hello from alice");
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
            assertEquals("hello from alice", find(events("answer"), "chat").get("text").getAsString());
        }
    }

    @Test
    void anEchoServiceSendsTheCallerItsOwnVideoAndVoice() throws Exception {
        try (SignalingServer server = SignalingServer.start(ServerConfig.builder().bind("127.0.0.1").port(0).build())) {
            String url = server.uri().toString();
            Process echo = parley("answer", "answer", "--server", url, "--user", "echo", "--echo", "--max-calls", "1",
                    "--json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.stats().onlineUsers() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Process call = parley("call", "call", "echo", "--server", url, "--user", "alice", "--duration", "3",
                    "--json", "--fake-media");
            assertTrue(call.waitFor(60, TimeUnit.SECONDS), "the call did not finish");
            assertEquals(0, call.exitValue(), Files.readString(dir.resolve("call.err")));
            assertTrue(echo.waitFor(30, TimeUnit.SECONDS), "the echo service did not finish");
            List<JsonObject> caller = events("call");
            JsonObject ended = find(caller, "ended");
            // The stamps that come back are alice's own: their age is the round trip through the echo.
            assertTrue(ended.get("framesReceived").getAsLong() > 30, "echoed frames: " + ended);
            double roundTrip = ended.get("latencyP50Ms").getAsDouble();
            assertTrue(roundTrip > 0 && roundTrip < 500, "round trip " + roundTrip + " ms");
            List<JsonObject> stats = caller.stream().filter(e -> e.get("event").getAsString().equals("stats")).toList();
            assertTrue(stats.get(stats.size() - 1).get("audioLevel").getAsDouble() > 0.05,
                    "alice does not hear her own tone: " + stats.get(stats.size() - 1));
        }
    }

    /** Waits until a process has printed an event matching the text, or fails. */
    private void awaitLine(String name, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.readString(dir.resolve(name + ".out")).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " never printed " + text + ": " + Files.readString(dir.resolve(name + ".out")));
    }

    @Test
    void aCallOutlivesTheSignalingServerAndMediaKeepsFlowing() throws Exception {
        SignalingServer server = SignalingServer.start(ServerConfig.builder().bind("127.0.0.1").port(0).build());
        String url = server.uri().toString();
        Process answer = parley("answer", "answer", "--server", url, "--user", "bob", "--max-calls", "1", "--json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.stats().onlineUsers() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Process call = parley("call", "call", "bob", "--server", url, "--user", "alice", "--duration", "14", "--json");
        awaitLine("call", "\"state\":\"connected\"", 30);
        server.close(); // signaling is gone; media is peer to peer (the call lasts 14 s more)

        assertTrue(call.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, call.exitValue(), Files.readString(dir.resolve("call.err")));
        assertTrue(answer.waitFor(30, TimeUnit.SECONDS));
        // Frames kept arriving for at least 10 s after the server went away.
        List<JsonObject> stats = events("call").stream().filter(e -> e.get("event").getAsString().equals("stats")).toList();
        JsonObject lastStats = stats.get(stats.size() - 1);
        assertTrue(stats.size() >= 12, "stats events: " + stats.size());
        assertTrue(lastStats.get("fps").getAsLong() >= 15, "frames stopped: " + lastStats);
        assertEquals("connected", lastStats.get("state").getAsString());
    }

    @Test
    void killingOnePeerEndsTheCallOnTheOtherWithConnectionLostWithinTenSeconds() throws Exception {
        try (SignalingServer server = SignalingServer.start(ServerConfig.builder().bind("127.0.0.1").port(0).build())) {
            String url = server.uri().toString();
            Process answer = parley("answer", "answer", "--server", url, "--user", "bob", "--json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.stats().onlineUsers() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Process call = parley("call", "call", "bob", "--server", url, "--user", "alice", "--duration", "60", "--json");
            awaitLine("call", "\"event\":\"stats\"", 30);
            answer.destroyForcibly(); // kill -9: no hangup is ever sent
            long killed = System.nanoTime();
            assertTrue(call.waitFor(30, TimeUnit.SECONDS));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertEquals(1, call.exitValue());
            assertEquals("connection-lost", find(events("call"), "ended").get("reason").getAsString());
            assertTrue(tookMs < 12_000, "the call ended " + tookMs + " ms after the peer died"); // 10 s + exit time
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
