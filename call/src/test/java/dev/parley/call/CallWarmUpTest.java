package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.Await;
import dev.parley.testsupport.SystemTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The first-call warm-up makes real throw-away calls (in the test JVM's namespace with its veth pair): video crosses
 * both ways in each, and nothing of them is left signed in or running afterwards.
 */
@SystemTest
@Timeout(90)
class CallWarmUpTest {

    @Test
    void throwAwayCallsConnectWithVideoBothWaysAndCloseEverything() {
        int threadsBefore = Thread.activeCount();
        CallWarmUp.Result result = CallWarmUp.run(CallOptions.defaults(), Duration.ofSeconds(20));
        assertEquals(CallWarmUp.CALLS, result.calls(), "calls with video both ways: " + result);
        assertTrue(result.video(), result.toString());
        assertTrue(result.millis() > 0 && result.millis() < 20_000, result.toString());
        Await.until(
                () -> Thread.activeCount() <= threadsBefore + 2,
                Duration.ofSeconds(10),
                "threads left running by the warm-up: " + Thread.activeCount() + " (before: " + threadsBefore + ")");
    }

    /** Over a real server, as bench call warms its own: the two sides sign in, call and sign out again. */
    @Test
    void throughAServerTheWarmUpSignsInCallsAndLeaves() throws Exception {
        try (SignalingServer server = SignalingServer.start(
                ServerConfig.builder().bind("127.0.0.1").port(0).build())) {
            CallWarmUp.Result result =
                    CallWarmUp.run(CallOptions.defaults(), Duration.ofSeconds(20), server.uri(), "warm");
            assertEquals(CallWarmUp.CALLS, result.calls(), result.toString());
            Await.until(
                    () -> server.stats().onlineUsers() == 0,
                    Duration.ofSeconds(10),
                    "the warm-up's users are still signed in");
        }
    }
}
