package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Ping;
import dev.parley.signaling.protocol.Pong;
import dev.parley.signaling.protocol.Welcome;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounts file changes while the server runs (parley server add-user / remove-user, another process): the
 * server notices within seconds, and a removed user, or one whose password changed, is signed out everywhere.
 */
@Timeout(60)
class AccountChangesTest {
    private final PasswordHasher hasher = new PasswordHasher(10_000);

    @TempDir
    Path dir;

    private ServerFixture server(Path file) throws Exception {
        AccountStore cli = AccountStore.load(file, hasher);
        cli.put("alice", "alice-pw".toCharArray(), hasher);
        cli.put("bob", "bob-pw".toCharArray(), hasher);
        return new ServerFixture(ServerConfig.builder().authenticator(AccountStore.load(file, hasher)));
    }

    private static RawClient signIn(ServerFixture f, String user, String password, String device) throws Exception {
        RawClient c = f.raw();
        c.send(new Hello(user, password, null, device, "raw"));
        return c;
    }

    @Test
    void removeUserSignsTheUserOutAtOnceAndTheirTokenNoLongerSignsIn() throws Exception {
        Path file = dir.resolve("accounts");
        try (ServerFixture f = server(file)) {
            RawClient alice = signIn(f, "alice", "alice-pw", "alices-laptop");
            String token = alice.next(Welcome.class).token();
            RawClient bob = signIn(f, "bob", "bob-pw", "bobs-desk");
            bob.next(Welcome.class);

            assertTrue(AccountStore.load(file, hasher).remove("alice")); // what 'parley server remove-user' does

            ErrorMessage notice = alice.next(ErrorMessage.class);
            assertEquals(ErrorCode.AUTH_FAILED, notice.code());
            assertTrue(notice.message().contains("removed"), notice.message());
            assertEquals(1008, alice.closed().get(5, TimeUnit.SECONDS));

            RawClient withToken = f.raw();
            withToken.send(new Hello("alice", null, token, "alices-laptop", "raw"));
            assertEquals(
                    ErrorCode.AUTH_FAILED, withToken.next(ErrorMessage.class).code(), "a removed user's token");

            bob.send(new Ping(7));
            assertEquals(7, bob.next(Pong.class).nonce());
            assertFalse(bob.closed().isDone(), "bob is not affected");
        }
    }

    @Test
    void aNewPasswordSignsTheUserOutEverywhereAndOnlyItWorksAfterwards() throws Exception {
        Path file = dir.resolve("accounts");
        try (ServerFixture f = server(file)) {
            RawClient laptop = signIn(f, "alice", "alice-pw", "alices-laptop");
            String token = laptop.next(Welcome.class).token();
            RawClient phone = signIn(f, "alice", "alice-pw", "alices-phone");
            phone.next(Welcome.class);

            AccountStore.load(file, hasher).put("alice", "new-pw".toCharArray(), hasher); // 'add-user alice' again

            for (RawClient c : new RawClient[] {laptop, phone}) {
                ErrorMessage notice = c.next(ErrorMessage.class);
                assertEquals(ErrorCode.AUTH_FAILED, notice.code());
                assertEquals(1008, c.closed().get(5, TimeUnit.SECONDS));
            }
            RawClient oldToken = f.raw();
            oldToken.send(new Hello("alice", null, token, "alices-laptop", "raw"));
            assertEquals(
                    ErrorCode.AUTH_FAILED, oldToken.next(ErrorMessage.class).code());
            RawClient oldPassword = signIn(f, "alice", "alice-pw", "alices-laptop");
            assertEquals(
                    ErrorCode.AUTH_FAILED, oldPassword.next(ErrorMessage.class).code());
            RawClient newPassword = signIn(f, "alice", "new-pw", "alices-laptop");
            assertEquals("alice", newPassword.next(Welcome.class).user());
        }
    }

    @Test
    void aUserAddedWhileTheServerRunsCanSignInWithoutARestart() throws Exception {
        Path file = dir.resolve("accounts");
        try (ServerFixture f = server(file)) {
            AccountStore.load(file, hasher).put("carol", "carol-pw".toCharArray(), hasher);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                RawClient carol = signIn(f, "carol", "carol-pw", "carols-box");
                String reply = carol.poll(5000);
                if (reply != null && reply.startsWith("{\"type\":\"welcome\"")) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "carol cannot sign in: " + reply);
                Thread.sleep(200);
            }
        }
    }
}
