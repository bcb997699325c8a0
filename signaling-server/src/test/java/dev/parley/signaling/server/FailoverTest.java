package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.ConnectionState;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client given several nodes of one service ({@code --server URL1,URL2}) moves to the next when its node dies or
 * cannot be reached, with the default backoff a user's client has, within 5 s; its resume token stays with the node
 * that gave it.
 */
@Timeout(60)
class FailoverTest {

    private static long millisUntil(BooleanSupplier condition, long limitMillis) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(limitMillis)) {
                throw new AssertionError("not within " + limitMillis + " ms");
            }
            Thread.sleep(10);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void whenItsNodeDiesTheClientSignsInOnTheNextWithinFiveSeconds() throws Exception {
        try (ServerFixture a = ServerFixture.open();
                ServerFixture b = ServerFixture.open()) {
            // The default backoff (0.25 s doubling to 30 s), as a user's client has it.
            ServerFixture.Client alice =
                    a.client(ClientConfig.of(a.uri(), "alice", null).withAlternates(List.of(b.uri())));
            assertEquals(1, a.server.stats().authenticated());
            assertEquals(0, b.server.stats().authenticated());
            a.server.close();
            long millis = millisUntil(
                    () -> b.server.stats().authenticated() == 1 && alice.signaling.state() == ConnectionState.CONNECTED,
                    5_000);
            assertTrue(millis < 5_000, millis + " ms");
            assertEquals("alice", alice.signaling.session().user());
        }
    }

    @Test
    void aNodeThatCannotBeReachedIsPassedOverAtTheStart() throws Exception {
        URI dead;
        try (ServerFixture gone = ServerFixture.open()) {
            dead = gone.uri(); // a port nothing listens on any more
        }
        try (ServerFixture b = ServerFixture.open()) {
            ServerFixture.Client alice =
                    b.client(ClientConfig.of(dead, "alice", null).withAlternates(List.of(b.uri())));
            assertEquals(ConnectionState.CONNECTED, alice.signaling.state());
            assertEquals(1, b.server.stats().authenticated());
        }
    }

    @Test
    void theNodesOfOneServiceShareAScheme() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ClientConfig.of(URI.create("wss://a.example/signal"), "alice", null)
                        .withAlternates(List.of(URI.create("ws://b.example/signal"))));
    }
}
