package dev.parley.natlab;

import dev.parley.testsupport.SystemTest;
import dev.parley.signaling.protocol.IceServer;
import dev.parley.signaling.server.TurnCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TURN credentials the signaling server hands out (TURN REST scheme, coturn's use-auth-secret) open a relay
 * allocation on a real coturn; expired and forged ones are refused. Probed with coturn's own
 * {@code turnutils_uclient} from a host on the simulated internet.
 */
@SystemTest
@Timeout(60)
class TurnCredentialsLabTest {
    @TempDir
    Path dir;
    private NetLab lab;
    private Internet net;
    private String client;

    @BeforeEach
    void build() throws Exception {
        assumeTrue(NetLab.available(), "the NAT lab needs root, iproute2 and nftables");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/turnutils_uclient")), "the NAT lab needs coturn");
        lab = new NetLab(dir);
        net = new Internet(lab);
        client = net.publicHost("client", "203.0.113.30");
        net.startTurn();
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    private NetLab.Result allocate(IceServer server) throws Exception {
        return lab.exec(client, 15, "turnutils_uclient", "-u", server.username(), "-w", server.credential(),
                "-n", "1", "-m", "1", "-l", "100", "-y", "-c", Internet.SERVER_IP);
    }

    private static IceServer turn(String secret, Clock clock, Duration ttl) {
        List<IceServer> servers = new TurnCredentials(List.of("turn:" + Internet.SERVER_IP + ":3478"), secret, ttl, clock)
                .iceServersFor("alice");
        return servers.get(servers.size() - 1);
    }

    @Test
    void theServersCredentialsOpenARelayAndExpiredOrForgedOnesAreRefused() throws Exception {
        NetLab.Result valid = allocate(turn(Internet.TURN_SECRET, Clock.systemUTC(), Duration.ofHours(1)));
        assertEquals(0, valid.exit(), "fresh credentials refused:\n" + valid.output());

        Clock twoDaysAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC);
        IceServer expired = turn(Internet.TURN_SECRET, twoDaysAgo, Duration.ofHours(24));
        NetLab.Result old = allocate(expired);
        assertNotEquals(0, old.exit(), "expired credentials accepted (" + expired.username() + ")");
        assertTrue(old.output().contains("Cannot complete Allocation"), old.output());

        IceServer forged = turn("not-the-secret", Clock.systemUTC(), Duration.ofHours(1));
        NetLab.Result fake = allocate(forged);
        assertNotEquals(0, fake.exit(), "forged credentials accepted");
        assertTrue(fake.output().contains("Cannot complete Allocation"), fake.output());

        IceServer stretched = new IceServer(forged.urls(), (Instant.now().getEpochSecond() + 86_400 * 365) + ":alice",
                turn(Internet.TURN_SECRET, Clock.systemUTC(), Duration.ofHours(1)).credential());
        NetLab.Result edited = allocate(stretched);
        assertNotEquals(0, edited.exit(), "a password reused with a longer expiry was accepted");
    }
}
