package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.signaling.protocol.IceServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {
    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    @Test
    void credentialsFollowTheTurnRestScheme() {
        TurnCredentials turn = new TurnCredentials(
                List.of("stun:198.51.100.1", "turn:198.51.100.1:3478", "turns:198.51.100.1:5349"),
                "north-pole",
                Duration.ofHours(24),
                clock);
        List<IceServer> servers = turn.iceServersFor("alice");
        assertEquals(new IceServer(List.of("stun:198.51.100.1"), null, null), servers.get(0));
        assertEquals("1700086400:alice", servers.get(1).username());
        // Computed independently: printf '1700086400:alice' | openssl dgst -sha1 -hmac north-pole -binary | base64
        assertEquals("soOAeAzOvs3WLgPbqxWnnoXVgro=", servers.get(1).credential());
        assertEquals(
                List.of("turn:198.51.100.1:3478", "turns:198.51.100.1:5349"),
                servers.get(1).urls());
    }

    @Test
    void turnWithoutASecretOrABadUriIsAConfigurationError() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new TurnCredentials(List.of("turn:198.51.100.1"), null, Duration.ofHours(1), clock));
        assertThrows(
                IllegalArgumentException.class,
                () -> new TurnCredentials(List.of("http://198.51.100.1"), "s", Duration.ofHours(1), clock));
        assertEquals(List.of(), new TurnCredentials(List.of(), null, Duration.ofHours(1), clock).iceServersFor("a"));
    }
}
