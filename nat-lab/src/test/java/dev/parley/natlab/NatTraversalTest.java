package dev.parley.natlab;

import dev.parley.testsupport.SystemTest;
import dev.parley.natlab.Internet.Nat;
import dev.parley.natlab.Internet.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every connection path, proven with real parts: Parley's headless clients in their own namespaces, home routers
 * doing NAT with nftables, the signaling server and Debian's coturn on a simulated internet. Each scenario builds
 * its network, makes a call, asserts the candidate pair the clients' own stats report, and tears everything down.
 */
@SystemTest
@Timeout(120)
class NatTraversalTest {
    static final String STUN = "stun:" + Internet.SERVER_IP + ":3478";
    static final String TURN_UDP = "turn:" + Internet.SERVER_IP + ":3478";
    static final String TURN_TCP = "turn:" + Internet.SERVER_IP + ":3478?transport=tcp";
    private static final Set<String> REFLEXIVE = Set.of("srflx", "prflx");
    private static final List<String> results = new ArrayList<>();

    @TempDir
    Path dir;
    private NetLab lab;
    private Internet net;

    @BeforeEach
    void build() {
        assumeTrue(NetLab.available(), "the NAT lab needs root, iproute2 and nftables");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/turnserver")), "the NAT lab needs coturn");
        lab = new NetLab(dir);
        net = new Internet(lab);
    }

    @AfterEach
    void tearDown(TestInfo test) throws Exception {
        if (lab == null) {
            return;
        }
        lab.close();
        Process list = new ProcessBuilder("ip", "netns", "list").start();
        String left = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertFalse(left.contains("pl" + ProcessHandle.current().pid() + "x"), "namespaces left behind:\n" + left);
    }

    @AfterAll
    static void report() throws Exception {
        if (results.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>(List.of(
                "| scenario | expected path | measured path (caller's view; callee's view) | time to connected |",
                "|---|---|---|---|"));
        lines.addAll(results);
        Path out = Path.of("target", "nat-lab", "results.md");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        lines.forEach(System.out::println);
    }

    private static void record(String scenario, String expected, Parley caller, Parley callee, String time) {
        results.add("| " + scenario + " | " + expected + " | " + Parley.route(caller.lastRoute()) + "; "
                + Parley.route(callee.lastRoute()) + " | " + time + " |");
    }

    /** alice at 192.168.0.200 behind a cone NAT (203.0.113.2), bob public at 203.0.113.20. */
    private record Home(Router router, String alice, String bob) {
    }

    private Home aliceBehindNatBobPublic(boolean blockUdp) {
        Router home = net.router("home", "203.0.113.2", Nat.CONE, blockUdp);
        return new Home(home, net.lanHost(home, "alice", "192.168.0.200"), net.publicHost("bob", "203.0.113.20"));
    }

        /** alice and bob, each behind a home router of this kind (203.0.113.2 and .3), both at 192.168.0.200. */
    private String[] behindTwoNats(Nat nat) {
        Router ha = net.router("homea", "203.0.113.2", nat, false);
        Router hb = net.router("homeb", "203.0.113.3", nat, false);
        return new String[]{net.lanHost(ha, "alice", "192.168.0.200"), net.lanHost(hb, "bob", "192.168.0.200")};
    }

    /** coturn, and the signaling server handing out these STUN/TURN URIs. */
    private URI services(List<String> iceUris) throws Exception {
        net.startTurn();
        return net.startServer(iceUris);
    }

    /** A call from alice (callerNs) to bob (calleeNs) that must connect and end normally. */
    private Parley[] call(URI server, String callerNs, String calleeNs, int seconds) throws Exception {
        Parley bob = Parley.answer(lab, calleeNs, server);
        Parley alice = Parley.call(lab, callerNs, server, seconds);
        assertTrue(alice.awaitExit(seconds + 40), "the call did not finish");
        assertEquals(0, alice.process.exitValue(), "the call failed: " + alice.stderr());
        assertTrue(bob.awaitExit(20), "the callee did not finish");
        assertNotNull(alice.lastRoute(), "the caller reported no candidate pair");
        assertNotNull(bob.lastRoute(), "the callee reported no candidate pair");
        return new Parley[]{alice, bob};
    }

    private static String type(Parley p, String side) {
        return p.lastRoute().text(side + "Candidate");
    }

    private static String address(Parley p, String side) {
        return p.lastRoute().text(side + "Address");
    }

    @Test
    void oneLanWithoutNatConnectsHostToHost() throws Exception {
        Router home = net.router("home", "203.0.113.2", Nat.CONE, false);
        String a = net.lanHost(home, "alice", "192.168.0.10");
        String b = net.lanHost(home, "bob", "192.168.0.11");
        URI server = services(List.of(STUN, TURN_UDP));
        Parley[] p = call(server, a, b, 3);
        for (Parley side : p) {
            assertEquals("host", type(side, "local"), Parley.route(side.lastRoute()));
            assertEquals("host", type(side, "remote"), Parley.route(side.lastRoute()));
            assertTrue(address(side, "remote").startsWith("192.168.0.1"), Parley.route(side.lastRoute()));
        }
        record("1. one LAN, no NAT", "host ↔ host", p[0], p[1], p[0].msToConnected() + " ms");
    }

    @Test
    void oneSideBehindNatConnectsThroughItsServerReflexiveAddress() throws Exception {
        Home t = aliceBehindNatBobPublic(false);
        String a = t.alice();
        String b = t.bob();
        URI server = services(List.of(STUN, TURN_UDP));
        Parley[] p = call(server, a, b, 3);
        // Bob reaches alice at her NAT's public mapping, learnt from STUN (srflx) or from her checks (prflx).
        assertTrue(REFLEXIVE.contains(type(p[1], "remote")), Parley.route(p[1].lastRoute()));
        assertTrue(address(p[1], "remote").startsWith("203.0.113.2:"), Parley.route(p[1].lastRoute()));
        assertEquals("203.0.113.20", address(p[0], "remote").split(":")[0], Parley.route(p[0].lastRoute()));
        noRelay(p);
        record("2. one peer behind NAT, one public", "server-reflexive", p[0], p[1], p[0].msToConnected() + " ms");
    }

    @Test
    void twoNatsWithTheSamePrivateAddressConnectThroughServerReflexiveAddresses() throws Exception {
        String[] peers = behindTwoNats(Nat.CONE);
        String a = peers[0];
        String b = peers[1];
        URI server = services(List.of(STUN, TURN_UDP));
        Parley[] p = call(server, a, b, 3);
        // Each reaches the other's NAT, never "192.168.0.200", which is also its own address.
        assertTrue(address(p[0], "remote").startsWith("203.0.113.3:"), Parley.route(p[0].lastRoute()));
        assertTrue(address(p[1], "remote").startsWith("203.0.113.2:"), Parley.route(p[1].lastRoute()));
        assertTrue(REFLEXIVE.contains(type(p[0], "remote")) && REFLEXIVE.contains(type(p[1], "remote")),
                Parley.route(p[0].lastRoute()) + " / " + Parley.route(p[1].lastRoute()));
        noRelay(p);
        record("3. two NATs, both LANs 192.168.0.200", "server-reflexive ↔ server-reflexive", p[0], p[1],
                p[0].msToConnected() + " ms");
    }

    @Test
    void symmetricNatsConnectOnlyThroughTurn() throws Exception {
        String[] peers = behindTwoNats(Nat.SYMMETRIC);
        String a = peers[0];
        String b = peers[1];
        URI server = services(List.of(STUN, TURN_UDP));
        Parley[] p = call(server, a, b, 3);
        assertTrue("relay".equals(type(p[0], "local")) || "relay".equals(type(p[0], "remote")),
                Parley.route(p[0].lastRoute()));
        assertTrue("relay".equals(type(p[1], "local")) || "relay".equals(type(p[1], "remote")),
                Parley.route(p[1].lastRoute()));
        record("4. both behind symmetric NATs", "relay (TURN)", p[0], p[1], p[0].msToConnected() + " ms");
    }

    @Test
    void symmetricNatsWithoutTurnFailWithinFifteenSecondsAndSayWhy() throws Exception {
        String[] peers = behindTwoNats(Nat.SYMMETRIC);
        String a = peers[0];
        String b = peers[1];
        URI server = services(List.of(STUN)); // no relay offered
        Parley bob = Parley.answer(lab, b, server);
        Parley alice = Parley.call(lab, a, server, 30);
        assertTrue(alice.awaitExit(25), "the call hung instead of failing");
        long ms = (System.nanoTime() - alice.startNanos) / 1_000_000;
        Parley.Event ended = alice.first("ended");
        assertNotNull(ended);
        assertEquals("connection-failed", ended.text("reason"));
        long failedAfter = ended.json().get("ms").getAsLong();
        assertTrue(failedAfter <= 15_000, "failed only after " + failedAfter + " ms");
        assertEquals(1, alice.process.exitValue());
        assertTrue(alice.stderr().contains("no route between you: a relay server is needed"), alice.stderr());
        assertEquals("no route between you: a relay server is needed", ended.text("message"));
        bob.awaitExit(20);
        results.add("| 4b. symmetric NATs, no TURN | fails within 15 s, says a relay is needed | failed: "
                + ended.text("reason") + " (\"" + ended.text("message") + "\") | ended after " + failedAfter
                + " ms (process exit after " + ms + " ms) |");
    }

    @Test
    void blockedUdpConnectsThroughTurnOverTcp() throws Exception {
        Home office = aliceBehindNatBobPublic(true); // a router that lets no UDP out
        String a = office.alice();
        String b = office.bob();
        URI server = services(List.of(STUN, TURN_UDP, TURN_TCP));
        Parley[] p = call(server, a, b, 3);
        assertEquals("relay", type(p[0], "local"), Parley.route(p[0].lastRoute()));
        assertEquals("tcp", p[0].lastRoute().text("relayProtocol"), Parley.route(p[0].lastRoute()));
        record("5. UDP blocked on one side", "relay, TURN over TCP", p[0], p[1], p[0].msToConnected() + " ms");
    }

    @Test
    void aRenumberedNatMidCallRecovers() throws Exception {
        Home t = aliceBehindNatBobPublic(false);
        String a = t.alice();
        String b = t.bob();
        midCallChange(a, b, "6a. NAT renumbered mid-call (new public address, mappings forgotten)",
                () -> net.renumber(t.router(), "203.0.113.4"));
    }

    @Test
    void aNewAddressOnTheLanMidCallRecovers() throws Exception {
        Home t = aliceBehindNatBobPublic(false);
        String a = t.alice();
        String b = t.bob();
        midCallChange(a, b, "6b. caller's own address changes mid-call (new DHCP lease)",
                () -> net.readdress(a, "192.168.0.200", "192.168.0.201"));
    }

    /**
     * A 16 s call from alice (a) to bob (b); 2 s after it connects, {@code change} breaks the path it uses. The call
     * must come back: bob receives media again over another path, and the call ends normally.
     */
    private void midCallChange(String a, String b, String scenario, Runnable change) throws Exception {
        URI server = services(List.of(STUN, TURN_UDP));
        Parley bob = Parley.answer(lab, b, server);
        Parley alice = Parley.call(lab, a, server, 16);
        assertNotNull(alice.await(e -> e.name().equals("state") && e.text("state").equals("connected"), 30));
        Parley.Event before = bob.await(e -> e.name().equals("stats") && e.json().has("remoteAddress")
                && e.json().get("bitrateInKbps").getAsLong() > 0, 10);
        assertNotNull(before, "no media before the change");
        Thread.sleep(2000);
        String oldPath = bob.lastRoute().text("remoteAddress");
        long changed = System.nanoTime();
        change.run();
        // Media again over a path other than the old one. (libwebrtc hides peer-reflexive addresses in its stats,
        // so "other" is all that can be asserted about the address.)
        Parley.Event back = bob.await(e -> e.nanos() > changed + 1_000_000_000L && e.name().equals("stats")
                && !e.text("remoteAddress").equals(oldPath) && e.json().get("bitrateInKbps").getAsLong() > 0, 20);
        assertNotNull(back, "media did not come back: " + Parley.route(bob.lastRoute())
                + "\ncaller: " + alice.events().stream().filter(e -> !e.name().equals("stats")).map(e -> e.json().toString()).toList()
                + "\n" + alice.stderr() + "\ncallee: " + bob.stderr());
        long recoveredMs = (back.nanos() - changed) / 1_000_000;
        assertTrue(alice.awaitExit(40));
        assertEquals(0, alice.process.exitValue(), "the call did not survive: " + alice.stderr());
        boolean restarted = alice.events().stream().anyMatch(e -> e.name().equals("state") && e.text("state").equals("reconnecting"));
        results.add(String.format(Locale.ROOT, "| %s | ICE restart recovers | %s; %s — %s | media back within %d ms of the change |",
                scenario, Parley.route(alice.lastRoute()), Parley.route(bob.lastRoute()),
                restarted ? "the caller went reconnecting and restarted ICE" : "ICE switched to the new path by itself (peer-reflexive), no restart needed",
                recoveredMs));
    }

    private static void noRelay(Parley[] p) {
        for (Parley side : p) {
            assertFalse("relay".equals(type(side, "local")) || "relay".equals(type(side, "remote")),
                    "relayed: " + Parley.route(side.lastRoute()));
        }
    }
}
