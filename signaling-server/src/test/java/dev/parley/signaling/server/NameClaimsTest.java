package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingException;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Without passwords, a name belongs to the device that first used it: a stranger cannot take it. */
@Timeout(30)
class NameClaimsTest {
    @TempDir
    Path dir;

    @Test
    void theFirstDeviceKeepsTheNameAndAnotherIsRefusedAcrossARestart() throws Exception {
        Path file = dir.resolve("claims");
        NameClaims claims = NameClaims.in(file);
        assertTrue(claims.claim("bob", "laptop-uuid"));
        assertTrue(claims.claim("bob", "laptop-uuid"), "the owner again");
        assertFalse(claims.claim("bob", "stranger-uuid"));
        assertFalse(claims.claim("bob", null), "no device, no name");
        assertFalse(Files.readString(file).contains("laptop-uuid"), "only a hash of the device id is kept");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        NameClaims again = NameClaims.in(file);
        assertFalse(again.claim("bob", "stranger-uuid"), "forgotten at a restart");
        assertTrue(again.claim("bob", "laptop-uuid"));
        assertTrue(again.release("bob"));
        assertTrue(again.claim("bob", "stranger-uuid"), "released, the next device takes it");
    }

    /**
     * The attack of issue 13: on an open LAN server a stranger signs in as bob while bob is online, and would get
     * alice's invites and could accept them before bob. With claims the stranger is refused and bob gets the call.
     */
    @Test
    void aStrangerCannotSignInAsSomeoneWhoseNameIsTaken() throws Exception {
        try (ServerFixture f = new ServerFixture(
                ServerConfig.builder().authenticator(Authenticator.open().withNameClaims(NameClaims.inMemory())))) {
            ServerFixture.Client bob = f.client(f.config("bob", null).withDevice("bobs-laptop"));
            ServerFixture.Client alice = f.client(f.config("alice", null).withDevice("alices-laptop"));
            SignalingClient stranger = f.unconnected(f.config("bob", null).withDevice("stranger")).signaling;
            ExecutionException refused = assertThrows(
                    ExecutionException.class, () -> stranger.connect().get(10, TimeUnit.SECONDS));
            assertEquals(
                    ErrorCode.AUTH_FAILED,
                    assertInstanceOf(SignalingException.class, refused.getCause())
                            .code());

            alice.signaling.send(new Invite("c1", null, "bob", Set.of(MediaKind.AUDIO)));
            assertEquals("c1", bob.recorder.next(Invite.class).callId(), "the real bob still gets the call");
            // bob's own device signs in again later (a reconnect, a restart of the app): still his.
            SignalingClient bobAgain = f.unconnected(f.config("bob", null).withDevice("bobs-laptop")).signaling;
            assertEquals("bob", bobAgain.connect().get(10, TimeUnit.SECONDS).user());
        }
    }
}
