package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Welcome;
import dev.parley.testsupport.Await;
import dev.parley.testsupport.RawWebSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password guessing must not lock real users out: wrong passwords from one address are throttled before any
 * password is hashed, and no address can take the hashing threads from the others. On Linux every 127.x.y.z is
 * loopback, so the attacker is 127.0.0.2 while the real users come from 127.0.0.1.
 */
@Timeout(120)
class SignInFloodTest {
    private static final MessageCodec CODEC = new MessageCodec();
    private static final int FLOOD = 1000;
    private static final int ATTACKER_CONNECTIONS = 64;

    @TempDir
    Path dir;

    @Test
    void aRealUserSignsInWithinTwoSecondsWhileAnotherAddressFloodsAThousandWrongPasswords() throws Exception {
        Path file = dir.resolve("accounts");
        AccountStore accounts = AccountStore.load(file);
        // A sixth of the production cost (600,000): the 2 s then measures how long a real user waits behind the
        // attacker, not how fast this shared machine hashes. Hashing stays the bottleneck: a check still costs far
        // more than anything else in a sign-in.
        PasswordHasher realCost = new PasswordHasher(100_000);
        accounts.put("alice", "correct horse".toCharArray(), realCost);
        accounts.put("bob", "battery staple".toCharArray(), realCost);
        InetAddress attacker = InetAddress.getByName("127.0.0.2");

        // A server that has been up a while: PBKDF2 is compiled (the JIT makes the first hashes several times slower,
        // which is the JVM starting, not the attack).
        String warm = realCost.hash("warm-up".toCharArray());
        for (int i = 0; i < 8; i++) {
            PasswordHasher.verify("warm-up".toCharArray(), warm);
        }

        try (ServerFixture f =
                new ServerFixture(ServerConfig.builder().authenticator(AccountStore.load(file, realCost)))) {
            // Alice's laptop has signed in from her machine before.
            f.client(f.config("alice", "correct horse").withDevice("alices-laptop"));

            AtomicInteger sent = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<ErrorMessage> throttled = new AtomicReference<>();
            ExecutorService flood = Executors.newFixedThreadPool(ATTACKER_CONNECTIONS);
            try {
                for (int t = 0; t < ATTACKER_CONNECTIONS; t++) {
                    flood.execute(() -> guessWrongPasswords(f, attacker, sent, stop, throttled));
                }
                Await.until(() -> sent.get() >= 100, Duration.ofSeconds(30), () -> "the flood did not start: " + sent);

                // Alice on a second device, from her known address: within 2 s.
                ServerFixture.Client phone =
                        f.unconnected(f.config("alice", "correct horse").withDevice("alices-phone"));
                assertEquals(
                        "alice",
                        phone.signaling.connect().get(2, TimeUnit.SECONDS).user(),
                        "alice was locked out");
                // Bob, who never signed in before, from a third address: within 2 s too.
                RawClient bob = RawClient.connectFrom(f.uri(), InetAddress.getByName("127.0.0.3"));
                long start = System.nanoTime();
                bob.send(new Hello("bob", "battery staple", null, "bobs-desk", "raw"));
                String reply = bob.ws.nextText(2, TimeUnit.SECONDS);
                assertTrue(reply != null && reply.startsWith("{\"type\":\"welcome\""), "bob was locked out: " + reply);
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
                bob.close();
                assertTrue(sent.get() < FLOOD, "the flood was over before the real users signed in: " + sent);
            } finally {
                stop.set(true);
                flood.shutdown();
                assertTrue(flood.awaitTermination(60, TimeUnit.SECONDS));
            }
            ErrorMessage refusal = throttled.get();
            assertNotNull(refusal, "the attacker was never throttled");
            assertEquals("hello", refusal.inReplyTo());
            assertTrue(refusal.retryAfterSeconds() != null && refusal.retryAfterSeconds() >= 1, refusal.toString());
        }
    }

    /** One attacker connection after another: a hello with a wrong password for alice, wait for the answer. */
    private static void guessWrongPasswords(
            ServerFixture f,
            InetAddress from,
            AtomicInteger sent,
            AtomicBoolean stop,
            AtomicReference<ErrorMessage> throttled) {
        for (int n = sent.incrementAndGet(); n <= FLOOD && !stop.get(); n = sent.incrementAndGet()) {
            long began = System.nanoTime();
            try (RawWebSocket ws = RawWebSocket.connect(f.uri(), Map.of(), true, from)) {
                if (ws.handshakeStatus() != 101) {
                    continue;
                }
                ws.sendText(CODEC.encode(new Hello("alice", "guess-" + n, null, "mallory-" + n, "raw")));
                String reply = ws.nextText(15, TimeUnit.SECONDS);
                if (reply != null && CODEC.decode(reply) instanceof DecodeResult.Decoded decoded) {
                    Message m = decoded.message();
                    if (m instanceof ErrorMessage e && e.code() == ErrorCode.RATE_LIMITED) {
                        throttled.compareAndSet(null, e);
                    }
                    assertTrue(!(m instanceof Welcome), "a wrong password signed in");
                }
            } catch (IOException | InterruptedException e) {
                // refused or cut off: the next guess
            }
            // At most one guess per connection every 500 ms: 64 connections make about 128 a second, so the
            // thousand guesses last through both real users' sign-ins. (Each connection waits for its answer, so
            // before the fix each held a password check in the queue.)
            long left = TimeUnit.MILLISECONDS.toNanos(500) - (System.nanoTime() - began);
            if (left > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
