package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley call} and {@code parley answer} as separate processes, through a real server, real WebRTC (in the
 * test JVM's own network namespace). Their {@code --json} events carry a wall-clock {@code epochMs}, so times are
 * compared with what the test did (killing a peer, stopping the server) across processes.
 */
@SystemTest
@Timeout(150)
class HeadlessCallTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @RegisterExtension
    final ParleyChildren children = new ParleyChildren();

    private ChildProcess parley(String name, String... args) {
        return children.start(dir, name, args);
    }

    /** {@code parley answer} for {@code user}, returned once it is signed in and listening. */
    private ChildProcess answering(String url, String user, String... extra) {
        return children.answering(dir, url, user, extra);
    }

    private static boolean is(JsonObject e, String event) {
        return e.get("event").getAsString().equals(event);
    }

    private static boolean isState(JsonObject e, String state) {
        return is(e, "state") && e.get("state").getAsString().equals(state);
    }

    private static SignalingServer openServer() throws Exception {
        return SignalingServer.start(
                ServerConfig.builder().bind("127.0.0.1").port(0).build());
    }

    @Test
    void aCallConnectsThroughTheServerShowsVideoAndBothSidesExitCleanly() throws Exception {
        try (SignalingServer server = openServer()) {
            String url = server.uri().toString();
            ChildProcess answer = answering(url, "bob", "--max-calls", "1");
            ChildProcess call = parley(
                    "call",
                    "call",
                    "bob",
                    "--server",
                    url,
                    "--user",
                    "alice",
                    "--duration",
                    "2",
                    "--json",
                    "--fake-media",
                    "--say",
                    "hello from alice");
            call.assertExit(0, Duration.ofSeconds(60));
            answer.assertExit(0, Duration.ofSeconds(30));

            assertTrue(call.events().stream().anyMatch(e -> isState(e, "connected")), call.report());
            // Each process readied itself for its first call with throw-away calls of its own, before signing in.
            for (ChildProcess side : List.of(call, answer)) {
                JsonObject warm = side.firstEvent("warmed-up").orElseThrow();
                assertTrue(
                        warm.get("calls").getAsInt() >= 1 && warm.get("video").getAsBoolean(), warm.toString());
                assertEquals("warmed-up", side.events().get(0).get("event").getAsString(), "before anything else");
                // Then signed in, before any call: what a script waits for before calling an answerer.
                JsonObject in = side.events().get(1);
                assertEquals("signed-in", in.get("event").getAsString(), side.report());
                assertEquals(side == call ? "alice" : "bob", in.get("user").getAsString());
            }
            long firstFrame = call.firstEvent("first-remote-frame")
                    .orElseThrow()
                    .get("msSinceInvite")
                    .getAsLong();
            assertTrue(firstFrame > 0 && firstFrame < 10_000, "first frame after " + firstFrame + " ms");
            assertEquals(
                    "hung-up",
                    call.firstEvent("ended").orElseThrow().get("reason").getAsString());
            assertEquals(
                    "remote-hung-up",
                    answer.firstEvent("ended").orElseThrow().get("reason").getAsString());
            assertEquals(
                    "hello from alice",
                    answer.firstEvent("chat").orElseThrow().get("text").getAsString());
            // Verification (PROTOCOL.md 7b): both sides print the same code, and again on their "ended" line.
            String code =
                    call.firstEvent("verification").orElseThrow().get("code").getAsString();
            assertTrue(code.matches("[ybndrfg8ejkmcpqxot1uwisza345h769]{6}"), code);
            assertEquals(
                    code,
                    answer.firstEvent("verification").orElseThrow().get("code").getAsString());
            assertEquals(
                    code, call.firstEvent("ended").orElseThrow().get("code").getAsString());
            assertEquals(
                    code, answer.firstEvent("ended").orElseThrow().get("code").getAsString());
        }
    }

    @Test
    void anEchoServiceSendsTheCallerItsOwnVideoAndVoice() throws Exception {
        try (SignalingServer server = openServer()) {
            String url = server.uri().toString();
            ChildProcess echo = answering(url, "echo", "--echo", "--max-calls", "1");
            ChildProcess call = parley(
                    "call",
                    "call",
                    "echo",
                    "--server",
                    url,
                    "--user",
                    "alice",
                    "--duration",
                    "3",
                    "--json",
                    "--fake-media");
            call.assertExit(0, Duration.ofSeconds(60));
            echo.assertExit(0, Duration.ofSeconds(30));
            JsonObject ended = call.firstEvent("ended").orElseThrow();
            // The stamps that come back are alice's own: their age is the round trip through the echo.
            assertTrue(ended.get("framesReceived").getAsLong() > 30, "echoed frames: " + ended);
            double roundTrip = ended.get("latencyP50Ms").getAsDouble();
            assertTrue(roundTrip > 0 && roundTrip < 500, "round trip " + roundTrip + " ms");
            List<JsonObject> stats = call.events("stats");
            JsonObject last = stats.get(stats.size() - 1);
            assertTrue(last.get("audioLevel").getAsDouble() > 0.05, "alice does not hear her own tone: " + last);
            // Each stats line carries the latency of every stamped frame since the line before: none twice.
            long perSecond = stats.stream()
                    .mapToLong(e -> e.getAsJsonArray("latencyMicros").size())
                    .sum();
            long stamped = ended.get("latencySamplesTotal").getAsLong();
            assertTrue(perSecond > stamped / 2 && perSecond <= stamped, perSecond + " of " + stamped + " frames");
        }
    }

    @Test
    void aCallOutlivesTheSignalingServerAndMediaKeepsFlowing() throws Exception {
        SignalingServer server = openServer();
        String url = server.uri().toString();
        ChildProcess answer;
        ChildProcess call;
        long closedAt;
        try {
            answer = answering(url, "bob", "--max-calls", "1");
            call = parley("call", "call", "bob", "--server", url, "--user", "alice", "--duration", "16", "--json");
            call.awaitEvent(e -> is(e, "stats") && e.get("framesReceived").getAsLong() > 0, START, "video flowing");
        } finally {
            server.close(); // signaling is gone; media is peer to peer
        }
        closedAt = System.currentTimeMillis();

        call.assertExit(0, Duration.ofSeconds(60));
        answer.assertExit(0, Duration.ofSeconds(30));
        assertEquals(
                "remote-hung-up",
                answer.firstEvent("ended").orElseThrow().get("reason").getAsString());

        // Every second for 10 s after the server went away: still connected, video still arriving.
        List<JsonObject> after = call.events("stats").stream()
                .filter(e -> e.get("epochMs").getAsLong() >= closedAt)
                .toList();
        long framesAtClose = call.events("stats").stream()
                .filter(e -> e.get("epochMs").getAsLong() < closedAt)
                .mapToLong(e -> e.get("framesReceived").getAsLong())
                .max()
                .orElse(0);
        JsonObject tenSecondsLater = after.stream()
                .filter(e -> e.get("epochMs").getAsLong() >= closedAt + 10_000)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no stats 10 s after the server went away\n" + call.report()));
        for (JsonObject e : after) {
            if (e.get("epochMs").getAsLong() > tenSecondsLater.get("epochMs").getAsLong()) {
                break;
            }
            assertEquals("connected", e.get("state").getAsString(), e.toString());
            assertTrue(e.get("fps").getAsDouble() >= 15, "frames stopped after the server went away: " + e);
        }
        long framesIn10s = tenSecondsLater.get("framesReceived").getAsLong() - framesAtClose;
        assertTrue(framesIn10s >= 10 * 20, "only " + framesIn10s + " frames in the 10 s after the server went away");
        JsonObject ended = call.firstEvent("ended").orElseThrow();
        assertTrue(
                ended.get("framesReceived").getAsDouble()
                        >= 0.9 * ended.get("framesSent").getAsDouble(),
                "frames lost: " + ended);
    }

    @Test
    void killingOnePeerEndsTheCallOnTheOtherWithConnectionLostWithinTenSeconds() throws Exception {
        try (SignalingServer server = openServer()) {
            String url = server.uri().toString();
            ChildProcess answer = answering(url, "bob");
            ChildProcess call =
                    parley("call", "call", "bob", "--server", url, "--user", "alice", "--duration", "60", "--json");
            call.awaitEvent(e -> is(e, "stats") && e.get("framesReceived").getAsLong() > 0, START, "video flowing");
            answer.kill(); // kill -9: no hang-up is ever sent
            long killedAt = System.currentTimeMillis();

            JsonObject ended = call.awaitEvent(e -> is(e, "ended"), Duration.ofSeconds(20), "the end of the call");
            assertEquals("connection-lost", ended.get("reason").getAsString());
            long tookMs = ended.get("epochMs").getAsLong() - killedAt;
            assertTrue(tookMs <= 10_000, "the call ended " + tookMs + " ms after the peer died");
            call.assertExit(1, Duration.ofSeconds(10));
        }
    }

    @Test
    void callingSomeoneOfflineFailsWithAOneLineReason() throws Exception {
        try (SignalingServer server = openServer()) {
            ChildProcess call =
                    parley("call", "call", "nobody", "--server", server.uri().toString(), "--user", "alice");
            call.assertExit(1, Duration.ofSeconds(60));
            List<String> reasons = call.errorLines().stream()
                    .filter(l -> l.startsWith("parley: the call"))
                    .toList();
            assertEquals(
                    List.of("parley: the call with nobody ended: unavailable (not signed in)"), reasons, call.report());
            assertFalse(call.stderr().contains("\tat "), "a stack trace:\n" + call.stderr());
        }
    }

    @Test
    void aServerThatIsNotThereIsAClearError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // in the test's own namespace nothing else can take it meanwhile
        }
        String url = "ws://127.0.0.1:" + closedPort + "/signal";
        ChildProcess call = parley("call", "call", "bob", "--server", url, "--user", "alice");
        call.assertExit(1, Duration.ofSeconds(60));
        assertTrue(call.stderr().contains("parley: cannot reach " + url), call.report());
        assertFalse(call.stderr().contains("\tat "), "a stack trace instead of a message:\n" + call.stderr());
    }
}
