package dev.parley.signaling.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Welcome;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialsTest {
    private static final URI SERVER = URI.create("loopback:test");

    private static Welcome welcome(String token) {
        return new Welcome("alice", "d1", "s1", token, 3600, List.of(), 20, "test");
    }

    @Test
    void thePasswordUntilAWelcomeBringsAToken() {
        Credentials c =
                new Credentials(ClientConfig.of(SERVER, "alice", "secret").withDevice("d1"));
        assertEquals(new Hello("alice", "secret", null, "d1", Credentials.CLIENT_NAME), c.hello(SERVER));
        c.welcomed(welcome("t1"), SERVER);
        assertEquals(new Hello("alice", null, "t1", "d1", Credentials.CLIENT_NAME), c.hello(SERVER));
    }

    @Test
    void aTokenIsShownOnlyToTheNodeThatGaveIt() {
        URI other = URI.create("loopback:other-node");
        Credentials c =
                new Credentials(ClientConfig.of(SERVER, "alice", "secret").withDevice("d1"));
        c.welcomed(welcome("t1"), SERVER);
        assertEquals(new Hello("alice", "secret", null, "d1", Credentials.CLIENT_NAME), c.hello(other));
        assertEquals("t1", c.hello(SERVER).token(), "and still to its own");
    }

    @Test
    void aRefusedTokenFallsBackToThePasswordOnce() {
        Credentials c = new Credentials(ClientConfig.of(SERVER, "alice", "secret"));
        c.welcomed(welcome("t1"), SERVER);
        assertTrue(c.retryWithPassword());
        assertEquals("secret", c.hello(SERVER).password());
        assertNull(c.hello(SERVER).token());
        assertFalse(c.retryWithPassword(), "a refused password is final");
    }

    @Test
    void withoutAPasswordARefusedTokenIsFinal() {
        Credentials c = new Credentials(ClientConfig.of(SERVER, "alice", null));
        c.welcomed(welcome("t1"), SERVER);
        assertFalse(c.retryWithPassword());
    }
}
