package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.Subscribe;
import dev.parley.signaling.protocol.Welcome;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(90)
class ReconnectTest {

    @Test
    void clientsComeBackAfterTheServerRestartsWithPresenceAndQueuedMessages() throws Exception {
        ServerFixture f = ServerFixture.open();
        int port = f.uri().getPort();
        URI uri = f.uri();
        try {
            // Alice waits (a long backoff) until the test tells her to retry, so bob is back when her queued
            // invite goes out.
            ServerFixture.Client alice =
                    f.client(f.config("alice", null).withBackoff(Duration.ofSeconds(60), Duration.ofSeconds(60)));
            ServerFixture.Client bob = f.client("bob");
            RawClient carol = f.rawSignedIn("carol"); // sees the close code, which the clients do not report
            alice.signaling.send(new Subscribe(List.of("bob")));
            assertEquals(
                    PresenceStatus.ONLINE, alice.recorder.next(Presence.class).status());

            f.server.close();
            assertEquals(
                    ErrorCode.GOING_AWAY,
                    alice.recorder.next(ErrorMessage.class).code());
            assertEquals(ErrorCode.GOING_AWAY, carol.next(ErrorMessage.class).code());
            assertEquals(1001, carol.closed().get(10, TimeUnit.SECONDS));
            alice.recorder.awaitState(ConnectionState.RECONNECTING);
            bob.recorder.awaitState(ConnectionState.RECONNECTING);
            // Sent while the server is down: queued, delivered after the reconnect.
            alice.signaling.send(new Invite("r1", null, "bob", Set.of(MediaKind.AUDIO)));

            try (SignalingServer again = SignalingServer.start(
                    ServerConfig.builder().bind("127.0.0.1").port(port).build())) {
                assertEquals(uri, again.uri());
                bob.recorder.awaitState(ConnectionState.CONNECTED);
                assertEquals(ConnectionState.RECONNECTING, alice.signaling.state());
                alice.signaling.reconnectNow();
                alice.recorder.awaitState(ConnectionState.CONNECTED);
                alice.recorder.next(Welcome.class);
                // The subscription was restored without the application asking.
                Presence p;
                do {
                    p = alice.recorder.next(Presence.class);
                } while (p.status() != PresenceStatus.ONLINE);
                assertEquals("bob", p.user());
                Invite invite = bob.recorder.next(Invite.class, 15_000);
                assertEquals("r1", invite.callId());
            }
        } finally {
            f.close();
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersTimesOutTheAttempt() throws Exception {
        // A listening socket nobody serves: TCP connects (the backlog accepts), the WebSocket handshake never ends.
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                SignalingClientFactory factory = SignalingClientFactory.standard()) {
            var client = factory.create(ClientConfig.of(
                            URI.create("ws://127.0.0.1:" + blackHole.getLocalPort() + "/signal"), "patient", null)
                    .withConnectTimeout(Duration.ofMillis(500))
                    .withBackoff(Duration.ofMillis(50), Duration.ofMillis(100)));
            Recorder recorder = new Recorder();
            client.addListener(recorder);
            long start = System.nanoTime();
            client.connect();
            // CONNECTING is announced again with each retry; the second announcement follows the first timeout.
            recorder.awaitState(ConnectionState.CONNECTING);
            recorder.awaitState(ConnectionState.CONNECTING);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            org.junit.jupiter.api.Assertions.assertTrue(waited < 5000, "an attempt took " + waited + " ms");
            org.junit.jupiter.api.Assertions.assertTrue(recorder.lastDetail.contains("timed out"), recorder.lastDetail);
            client.close();
        }
    }

    @Test
    void theFirstConnectKeepsTryingUntilTheServerAppears() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (SignalingClientFactory factory = SignalingClientFactory.standard()) {
            var client = factory.create(ClientConfig.of(URI.create("ws://127.0.0.1:" + port + "/signal"), "early", null)
                    .withBackoff(Duration.ofMillis(50), Duration.ofMillis(300)));
            Recorder recorder = new Recorder();
            client.addListener(recorder);
            var welcome = client.connect();
            // Refused attempts, each announced as CONNECTING again: it keeps trying instead of giving up.
            for (int attempt = 0; attempt < 3; attempt++) {
                recorder.awaitState(ConnectionState.CONNECTING);
            }
            assertEquals(ConnectionState.CONNECTING, client.state());
            assertFalse(welcome.isDone(), "the first connect gave up");
            try (SignalingServer server = SignalingServer.start(
                    ServerConfig.builder().bind("127.0.0.1").port(port).build())) {
                assertEquals("early", welcome.get(10, TimeUnit.SECONDS).user());
            } finally {
                client.close();
            }
        }
    }
}
