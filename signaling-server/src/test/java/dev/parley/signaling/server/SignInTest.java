package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.MessageCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who a hello proves to be (the rest of the sign-in is covered end to end by AuthenticationTest). */
class SignInTest {
    private final Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final TokenService tokens = new TokenService(Duration.ofHours(1), clock);
    private final List<String> passwordChecks = new ArrayList<>();
    private final Map<String, String> passwords = Map.of("alice", "secret", "bob", "hunter2");
    private final SignIn signIn = signIn();

    private SignIn signIn() {
        MessageCodec codec = new MessageCodec();
        Authenticator accounts = new Authenticator() {
            @Override
            public boolean authenticate(Attempt attempt) {
                String password = attempt.password();
                String user = attempt.user();
                passwordChecks.add(user);
                return password != null && password.equals(passwords.get(user));
            }

            @Override
            public String describe() {
                return "two accounts";
            }
        };
        return new SignIn(
                codec,
                new Hub(codec, 32),
                ServerConfig.Limits.defaults(),
                accounts,
                tokens,
                new TurnCredentials(List.of(), null, Duration.ofHours(1), clock),
                new TurnPolicy(accounts, false),
                Runnable::run,
                1,
                "test",
                new GuestLinks(clock));
    }

    private static Hello hello(String user, String password, String token) {
        return new Hello(user, password, token, "laptop", "test");
    }

    @Test
    void aPasswordIsChecked() {
        assertEquals("alice", signIn.verify(hello("alice", "secret", null), null));
        assertNull(signIn.verify(hello("alice", "wrong", null), null));
        assertNull(signIn.verify(hello("carol", "secret", null), null));
    }

    @Test
    void aValidTokenSignsInWithoutAPasswordCheck() {
        assertEquals("alice", signIn.verify(hello("alice", null, tokens.issue("alice", "laptop")), null));
        assertEquals(
                "alice",
                signIn.verify(hello(null, null, tokens.issue("alice", "laptop")), null),
                "the token names the user");
        assertEquals(List.of(), passwordChecks);
    }

    @Test
    void aTokenWorksOnlyOnItsDeviceAndUntilRevoked() {
        String laptops = tokens.issue("alice", "laptop");
        assertNull(signIn.verify(new Hello("alice", null, laptops, "phone", "test"), null), "another device");
        assertNull(signIn.verify(new Hello("alice", null, laptops, null, "test"), null), "no device");
        tokens.revoke("alice");
        assertNull(signIn.verify(hello("alice", null, laptops), null), "revoked");
        assertEquals(
                "alice",
                signIn.verify(hello("alice", null, tokens.issue("alice", "laptop")), null),
                "a token issued after the revocation works");
        assertEquals(List.of("alice", "alice", "alice"), passwordChecks); // each refused token fell back
    }

    @Test
    void aTokenForSomeoneElseFallsBackToThePassword() {
        String bobs = tokens.issue("bob", "laptop");
        assertNull(signIn.verify(hello("alice", null, bobs), null));
        assertEquals("alice", signIn.verify(hello("alice", "secret", bobs), null));
        assertEquals(List.of("alice", "alice"), passwordChecks);
    }

    @Test
    void aForgedTokenFallsBackToThePassword() {
        assertNull(signIn.verify(hello("alice", null, "YWxpY2U6OTk5OTk5OTk5OTk.AAAA"), null));
        assertEquals("alice", signIn.verify(hello("alice", "secret", "garbage"), null));
        assertNull(signIn.verify(hello(null, null, "garbage"), null), "no token, no user name: nobody");
    }
}
