package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.client.SignalingException;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Ping;
import dev.parley.signaling.protocol.Welcome;
import dev.parley.testsupport.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AuthenticationTest {
    @TempDir
    Path dir;

    private ServerFixture withAccounts(String... userPasswordPairs) throws Exception {
        AccountStore store = AccountStore.load(dir.resolve("accounts"));
        PasswordHasher hasher = new PasswordHasher(10_000); // fast for tests; the default is 600,000
        for (int i = 0; i < userPasswordPairs.length; i += 2) {
            store.put(userPasswordPairs[i], userPasswordPairs[i + 1].toCharArray(), hasher);
        }
        // Loaded with the same cost, so a sign-in does not rehash at the default cost.
        return new ServerFixture(
                ServerConfig.builder().authenticator(AccountStore.load(dir.resolve("accounts"), hasher)));
    }

    @Test
    void rightPasswordSignsIn() throws Exception {
        try (ServerFixture f = withAccounts("alice", "correct horse")) {
            ServerFixture.Client alice = f.client(f.config("alice", "correct horse"));
            assertEquals("alice", alice.welcome.user());
            assertEquals(ConnectionState.CONNECTED, alice.signaling.state());
            assertEquals(86400, alice.welcome.tokenTtlSeconds());
            assertTokenShape(alice.welcome.token(), "alice", 86400);
        }
    }

    /**
     * The documented token shape (PROTOCOL.md section 4): base64url(user:expiry) "." base64url(HMAC-SHA256),
     * unpadded, expiry in Unix seconds.
     */
    private static void assertTokenShape(String token, String user, long ttlSeconds) {
        assertTrue(token != null && token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), "token shape: " + token);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        assertTrue(payload.startsWith(user + ":"), payload);
        long expiry = Long.parseLong(payload.substring(user.length() + 1));
        long expected = System.currentTimeMillis() / 1000 + ttlSeconds;
        assertTrue(Math.abs(expiry - expected) < 60, () -> "expiry " + expiry + ", expected about " + expected);
        assertEquals(32, Base64.getUrlDecoder().decode(parts[1]).length, "an HMAC-SHA256 is 32 bytes");
    }

    @Test
    void wrongPasswordFailsForGoodWithAClearReason() throws Exception {
        try (ServerFixture f = withAccounts("alice", "correct horse")) {
            ServerFixture.Client alice = f.unconnected(f.config("alice", "battery staple"));
            ExecutionException e = assertThrows(
                    ExecutionException.class, () -> alice.signaling.connect().get(10, TimeUnit.SECONDS));
            SignalingException cause = assertInstanceOf(SignalingException.class, e.getCause());
            assertEquals(ErrorCode.AUTH_FAILED, cause.code());
            assertTrue(cause.getMessage().contains("wrong user name or password"), cause.getMessage());
            assertEquals(ConnectionState.FAILED, alice.signaling.state());
        }
    }

    @Test
    void unknownUserIsRefusedLikeAWrongPassword() throws Exception {
        try (ServerFixture f = withAccounts("alice", "pw")) {
            RawClient wrongPassword = f.raw();
            wrongPassword.send(new Hello("alice", "not-pw", null, null, "raw"));
            ErrorMessage refusal = wrongPassword.next(ErrorMessage.class);
            int refusalClose = wrongPassword.closed().get(5, TimeUnit.SECONDS);
            assertEquals(
                    new ErrorMessage(ErrorCode.AUTH_FAILED, "wrong user name or password", "hello", null), refusal);
            assertEquals(1008, refusalClose);

            RawClient unknown = f.raw();
            unknown.send(new Hello("mallory", "pw", null, null, "raw"));
            ErrorMessage error = unknown.next(ErrorMessage.class);
            // Same code, message, inReplyTo and close code: nothing tells an unknown name from a wrong password.
            assertEquals(refusal, error);
            assertEquals(refusalClose, unknown.closed().get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void openModeTakesAnyNameWithoutPassword() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            assertEquals("zoe", f.client("zoe").welcome.user());
        }
    }

    @Test
    void aTokenFromTheWelcomeSignsInWithoutThePassword() throws Exception {
        try (ServerFixture f = withAccounts("alice", "pw")) {
            Welcome first = f.client(f.config("alice", "pw")).welcome;
            RawClient raw = f.raw(); // the same device on a new connection (a reconnect)
            raw.send(new Hello(null, null, first.token(), first.device(), "raw"));
            assertEquals("alice", raw.next(Welcome.class).user());

            RawClient forged = f.raw();
            forged.send(new Hello(null, null, first.token().replace('.', 'x') + "A.B", null, "raw"));
            assertEquals(ErrorCode.AUTH_FAILED, forged.next(ErrorMessage.class).code());
        }
    }

    /** A token copied off one device (a backup, a shared config folder, a log) does not sign in another. */
    @Test
    void aTokenSignsInOnlyTheDeviceItWasIssuedTo() throws Exception {
        try (ServerFixture f = withAccounts("alice", "pw")) {
            Welcome laptop = f.client(f.config("alice", "pw").withDevice("alices-laptop")).welcome;

            RawClient stolen = f.raw();
            stolen.send(new Hello("alice", null, laptop.token(), "mallorys-box", "raw"));
            ErrorMessage refusal = stolen.next(ErrorMessage.class);
            assertEquals(ErrorCode.AUTH_FAILED, refusal.code(), "a token from another device signed in");
            assertEquals(1008, stolen.closed().get(5, TimeUnit.SECONDS));

            RawClient noDevice = f.raw();
            noDevice.send(new Hello(null, null, laptop.token(), null, "raw"));
            assertEquals(
                    ErrorCode.AUTH_FAILED, noDevice.next(ErrorMessage.class).code());

            RawClient same = f.raw();
            same.send(new Hello("alice", null, laptop.token(), "alices-laptop", "raw"));
            assertEquals("alice", same.next(Welcome.class).user());
        }
    }

    @Test
    void anythingBeforeHelloIsRefusedAndTheConnectionStaysUsable() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient raw = f.raw();
            raw.send(new Ping(1));
            ErrorMessage error = raw.next(ErrorMessage.class);
            assertEquals(ErrorCode.NOT_AUTHENTICATED, error.code());
            assertEquals("ping", error.inReplyTo());
            raw.send(new Hello("bob", null, null, null, "raw"));
            assertEquals("bob", raw.next(Welcome.class).user());
            raw.send(new Hello("bob", null, null, null, "raw"));
            assertEquals(
                    ErrorCode.ALREADY_AUTHENTICATED,
                    raw.next(ErrorMessage.class).code());
        }
    }

    @Test
    void unauthenticatedConnectionsAreClosedAfterTheTimeout() throws Exception {
        ServerConfig.Limits limits = ServerConfig.Limits.defaults().withAuthTimeout(Duration.ofSeconds(1));
        try (ServerFixture f = new ServerFixture(ServerConfig.builder().limits(limits))) {
            RawClient silent = f.raw();
            assertEquals(ErrorCode.TIMEOUT, silent.next(ErrorMessage.class).code());
            assertEquals(1008, silent.closed().get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void silentClientsAreClosedAsIdle() throws Exception {
        ServerConfig.Limits limits =
                ServerConfig.Limits.defaults().withIdle(Duration.ofSeconds(1), Duration.ofSeconds(3));
        try (ServerFixture f = new ServerFixture(ServerConfig.builder().limits(limits))) {
            RawClient silent = f.rawSignedIn("quiet");
            // The server pings first, then gives up.
            silent.next(Ping.class);
            assertEquals(1001, silent.closed().get(10, TimeUnit.SECONDS));
            // The client sees the close before the server has finished it: wait for the server to forget it.
            Await.until(
                    () -> f.server.stats().onlineUsers() == 0,
                    Duration.ofSeconds(5),
                    () -> "still online: " + f.server.stats().onlineUsers());
        }
    }

    @Test
    void theWelcomeCarriesTimeLimitedTurnCredentials() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerConfig.builder()
                .iceUris(List.of("stun:198.51.100.1:3478", "turn:198.51.100.1:3478?transport=udp"))
                .turnSecret("s3cret")
                .turnTtl(Duration.ofHours(1)))) {
            Welcome w = f.client("alice").welcome;
            assertEquals(2, w.iceServers().size());
            assertEquals(
                    List.of("stun:198.51.100.1:3478"), w.iceServers().get(0).urls());
            assertNull(w.iceServers().get(0).username());
            assertNull(w.iceServers().get(0).credential());
            assertEquals(
                    List.of("turn:198.51.100.1:3478?transport=udp"),
                    w.iceServers().get(1).urls());
            String username = w.iceServers().get(1).username();
            assertTrue(username.matches("\\d+:alice"), username);
            long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
            long inAnHour = System.currentTimeMillis() / 1000 + 3600;
            assertTrue(Math.abs(expiry - inAnHour) < 60, username);
            // TURN REST scheme (coturn use-auth-secret): base64(HMAC-SHA1(secret, username)), computed here.
            assertEquals(
                    hmacSha1Base64("s3cret", username), w.iceServers().get(1).credential());
        }
    }

    private static String hmacSha1Base64(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theTestsTurnHmacMatchesTheDocumentedExample() throws Exception {
        // PROTOCOL.md section 4 (and openssl): secret north-pole, username 1700086400:alice.
        assertEquals("soOAeAzOvs3WLgPbqxWnnoXVgro=", hmacSha1Base64("north-pole", "1700086400:alice"));
    }
}
