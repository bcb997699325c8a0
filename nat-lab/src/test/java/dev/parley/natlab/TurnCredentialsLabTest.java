package dev.parley.natlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TURN credentials a running {@code parley server} hands out in its welcome (TURN REST scheme, coturn's
 * use-auth-secret) open a relay allocation on a real coturn; expired, forged and edited ones are refused by
 * coturn itself (a 401, "Cannot complete Allocation"). Probed with coturn's own {@code turnutils_uclient} from a
 * host on the simulated internet.
 */
@SystemTest
@Timeout(90)
class TurnCredentialsLabTest {
    /** What turnutils_uclient prints when coturn refuses the allocation's credentials. */
    private static final String REFUSED = "Cannot complete Allocation";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed scenario's logs stay for a look
    Path dir;

    private NetLab lab;
    private Internet net;
    private String client;

    @BeforeEach
    void build() throws Exception {
        NetLab.requireTools("ip", "nft", "turnserver", "turnutils_uclient", "ss");
        lab = new NetLab(dir);
        net = new Internet(lab);
        client = net.publicHost("client", "203.0.113.30");
        net.startTurn();
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
            assertEquals(List.of(), lab.namespacesLeft(), "namespaces left behind");
        }
    }

    /** username and credential of the TURN server in the welcome of the server at {@code server}, signed in as alice. */
    private String[] credentialsFromTheServer(URI server) {
        List<String> cmd = new ArrayList<>(ChildProcess.java(WelcomeProbe.class.getName()));
        cmd.addAll(List.of(server.toString(), "alice"));
        ChildProcess probe = lab.spawn(client, "welcome-probe", cmd, Parley.ENV);
        probe.assertExit(0, Duration.ofSeconds(30));
        String turn = probe.lines().stream()
                .filter(l -> l.startsWith("turn:"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no TURN server in the welcome\n" + probe.report()));
        String[] parts = turn.split(" ");
        return new String[] {parts[1], parts[2]};
    }

    private NetLab.Result allocate(String username, String password) {
        return lab.exec(
                client,
                15,
                "turnutils_uclient",
                "-u",
                username,
                "-w",
                password,
                "-n",
                "1",
                "-m",
                "1",
                "-l",
                "100",
                "-y",
                "-c",
                Internet.SERVER_IP);
    }

    /** The TURN REST password for a user name: base64(HMAC-SHA1(secret, username)), as coturn computes it. */
    private static String restPassword(String secret, String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertRefused(NetLab.Result r, String what) {
        assertTrue(r.exit() != 0 && r.output().contains(REFUSED), what + " was not refused by coturn:\n" + r.output());
    }

    @Test
    void theServersCredentialsOpenARelayAndExpiredForgedOrEditedOnesAreRefused() throws Exception {
        URI server = net.startServer(List.of("turn:" + Internet.SERVER_IP + ":3478"));
        String[] given = credentialsFromTheServer(server);
        String username = given[0];
        long expiry = Long.parseLong(username.split(":")[0]);
        long now = Instant.now().getEpochSecond();
        assertTrue(expiry > now && expiry <= now + 86_400 + 60, "expiry not within the 24 h TTL: " + username);

        NetLab.Result valid = allocate(username, given[1]);
        assertEquals(0, valid.exit(), "the server's own credentials were refused:\n" + valid.output());
        assertTrue(valid.output().contains("Total lost packets 0"), valid.output()); // it relayed, nothing lost

        // Two days old, signed with the right secret: coturn refuses a time stamp in the past.
        String old = (now - 2 * 86_400) + ":alice";
        assertRefused(allocate(old, restPassword(Internet.TURN_SECRET, old)), "an expired credential");
        // A fresh user name signed with another secret.
        String forged = (now + 3600) + ":alice";
        assertRefused(allocate(forged, restPassword("not-the-secret", forged)), "a forged credential");
        // The server's password with the expiry stretched by a year: the password no longer matches.
        String stretched = (expiry + 365 * 86_400) + ":alice";
        assertRefused(allocate(stretched, given[1]), "a password reused with a longer expiry");
    }
}
