package dev.parley.natlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.natlab.Internet.Nat;
import dev.parley.natlab.Internet.Router;
import dev.parley.testsupport.SystemTest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

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

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed scenario's logs stay for a look
    Path dir;

    private NetLab lab;
    private Internet net;

    @BeforeEach
    void build() {
        NetLab.requireTools("ip", "nft", "conntrack", "turnserver", "ss");
        lab = new NetLab(dir);
        net = new Internet(lab);
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
            assertEquals(List.of(), lab.namespacesLeft(), "namespaces left behind");
        }
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
    private record Home(Router router, String alice, String bob) {}

    private Home aliceBehindNatBobPublic(boolean blockUdp) {
        Router home = net.router("home", "203.0.113.2", Nat.CONE, blockUdp);
        return new Home(home, net.lanHost(home, "alice", "192.168.0.200"), net.publicHost("bob", "203.0.113.20"));
    }

    /** alice and bob, each behind a home router of this kind (203.0.113.2 and .3), both at 192.168.0.200. */
    private String[] behindTwoNats(Nat nat) {
        Router ha = net.router("homea", "203.0.113.2", nat, false);
        Router hb = net.router("homeb", "203.0.113.3", nat, false);
        return new String[] {net.lanHost(ha, "alice", "192.168.0.200"), net.lanHost(hb, "bob", "192.168.0.200")};
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
        alice.assertExit(0, seconds + 40);
        bob.assertExit(0, 20);
        assertNotNull(alice.lastRoute(), "the caller reported no candidate pair");
        assertNotNull(bob.lastRoute(), "the callee reported no candidate pair");
        return new Parley[] {alice, bob};
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
        }
        // Straight from one LAN address to the other, nothing in between.
        assertEquals("192.168.0.10", address(p[0], "local").split(":")[0], Parley.route(p[0].lastRoute()));
        assertEquals("192.168.0.11", address(p[0], "remote").split(":")[0], Parley.route(p[0].lastRoute()));
        assertEquals("192.168.0.11", address(p[1], "local").split(":")[0], Parley.route(p[1].lastRoute()));
        assertEquals("192.168.0.10", address(p[1], "remote").split(":")[0], Parley.route(p[1].lastRoute()));
        record("1. one LAN, no NAT", "host ↔ host", p[0], p[1], p[0].msToConnected() + " ms");
    }

    /**
     * A file sent in the call (10 MB): its file-done events from both ends, once the two processes exited cleanly.
     */
    private Parley.Event[] fileOver(URI server, String callerNs, String calleeNs) throws Exception {
        Path file = dir.resolve("film.bin");
        byte[] bytes = new byte[10_000_000];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(file, bytes);
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Parley bob = Parley.answer(lab, calleeNs, server, List.of("--receive-dir", inbox.toString()));
        Parley alice = Parley.sendFile(lab, callerNs, server, file);
        alice.assertExit(0, 90);
        bob.assertExit(0, 20);
        Parley.Event sent = alice.first("file-done").orElseThrow();
        Parley.Event got = bob.first("file-done").orElseThrow();
        assertArrayEquals(bytes, Files.readAllBytes(inbox.resolve("film.bin")), "not the same bytes");
        return new Parley.Event[] {sent, got};
    }

    /** On one LAN (host to host) a file's link goes over TCP, between two hosts with a real switch between them. */
    @Test
    void aFileOnOneLanGoesOnATcpLink() throws Exception {
        Router home = net.router("home", "203.0.113.2", Nat.CONE, false);
        String a = net.lanHost(home, "alice", "192.168.0.10");
        String b = net.lanHost(home, "bob", "192.168.0.11");
        Parley.Event[] done = fileOver(services(List.of(STUN, TURN_UDP)), a, b);
        for (Parley.Event e : done) {
            assertTrue(e.json().get("onLink").getAsBoolean(), "not on a link: " + e.json());
            assertTrue(e.json().get("overTcp").getAsBoolean(), "not over TCP: " + e.json());
        }
    }

    /** Behind two NATs (server-reflexive path) a file's link stays UDP, and still moves the file. */
    @Test
    void aFileThroughTwoNatsGoesOnAUdpLink() throws Exception {
        String[] peers = behindTwoNats(Nat.CONE);
        Parley.Event[] done = fileOver(services(List.of(STUN, TURN_UDP)), peers[0], peers[1]);
        for (Parley.Event e : done) {
            assertTrue(e.json().get("onLink").getAsBoolean(), "not on a link: " + e.json());
            assertFalse(e.json().get("overTcp").getAsBoolean(), "over TCP through two NATs: " + e.json());
        }
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
        assertTrue(
                REFLEXIVE.contains(type(p[0], "remote")) && REFLEXIVE.contains(type(p[1], "remote")),
                Parley.route(p[0].lastRoute()) + " / " + Parley.route(p[1].lastRoute()));
        noRelay(p);
        record(
                "3. two NATs, both LANs 192.168.0.200",
                "server-reflexive ↔ server-reflexive",
                p[0],
                p[1],
                p[0].msToConnected() + " ms");
    }

    /**
     * No signaling server at all: two people behind two cone NATs trade an invite code and an answer code (each
     * carries the addresses its side learnt from STUN) and call each other straight through both NATs.
     */
    @Test
    void twoConeNatsWithNoServerConnectByTradingInviteCodes() throws Exception {
        String[] peers = behindTwoNats(Nat.CONE);
        net.startTurn(); // coturn answers STUN; no signaling server is started
        Parley alice = Parley.inviteCreate(lab, peers[0], STUN, 3);
        String invite = alice.await(e -> e.name().equals("invite-code"), 40, "alice's invite code")
                .text("code");
        Parley bob = Parley.inviteAccept(lab, peers[1], STUN, invite);
        String answer = bob.await(e -> e.name().equals("answer-code"), 40, "bob's answer code")
                .text("code");
        alice.process.input(answer + "\n");
        alice.assertExit(0, 60);
        bob.assertExit(0, 20);
        Parley[] p = {alice, bob};
        assertNotNull(alice.lastRoute(), "alice reported no candidate pair");
        assertNotNull(bob.lastRoute(), "bob reported no candidate pair");
        assertTrue(address(alice, "remote").startsWith("203.0.113.3:"), Parley.route(alice.lastRoute()));
        assertTrue(address(bob, "remote").startsWith("203.0.113.2:"), Parley.route(bob.lastRoute()));
        noRelay(p);
        record(
                "3b. two NATs, no server (invite codes)",
                "server-reflexive ↔ server-reflexive",
                alice,
                bob,
                "(codes passed by hand)");
    }

    @Test
    void symmetricNatsConnectOnlyThroughTurn() throws Exception {
        String[] peers = behindTwoNats(Nat.SYMMETRIC);
        String a = peers[0];
        String b = peers[1];
        URI server = services(List.of(STUN, TURN_UDP));
        Parley[] p = call(server, a, b, 3);
        assertTrue(
                "relay".equals(type(p[0], "local")) || "relay".equals(type(p[0], "remote")),
                Parley.route(p[0].lastRoute()));
        assertTrue(
                "relay".equals(type(p[1], "local")) || "relay".equals(type(p[1], "remote")),
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
        long dialled = System.currentTimeMillis();
        Parley alice = Parley.call(lab, a, server, 30);
        alice.assertExit(1, 25); // a failed call: exit 1, not a hang
        Parley.Event ended =
                alice.first("ended").orElseThrow(() -> new AssertionError("no ended event\n" + alice.stderr()));
        assertEquals("connection-failed", ended.text("reason"));
        long failedAfter = ended.json().get("ms").getAsLong();
        assertTrue(failedAfter <= 15_000, "failed only after " + failedAfter + " ms");
        assertTrue(alice.stderr().contains("no route between you: a relay server is needed"), alice.stderr());
        assertEquals("no route between you: a relay server is needed", ended.text("message"));
        bob.assertExit(1, 20); // its call never connected either
        results.add("| 4b. symmetric NATs, no TURN | fails within 15 s, says a relay is needed | failed: "
                + ended.text("reason") + " (\"" + ended.text("message") + "\") | ended after " + failedAfter
                + " ms (" + (ended.epochMs() - dialled) + " ms after the process started) |");
    }

    /**
     * Alice's office lets no UDP out; bob is public but, like most hosts, takes no TCP connection nobody asked for
     * (otherwise ICE-TCP finds a direct TCP path to him, a valid path but not this scenario's). The only way
     * through is alice's relay, reached over TCP (TURN over TCP).
     */
    @Test
    void blockedUdpConnectsThroughTurnOverTcp() throws Exception {
        Home office = aliceBehindNatBobPublic(true); // a router that lets no UDP out
        lab.nft(
                office.bob(),
                String.join(
                        "\n",
                        "table inet hostfirewall {",
                        "  chain incoming {",
                        "    type filter hook input priority 0; policy accept;",
                        "    tcp flags & (syn | ack) == syn drop;", // connection attempts from outside
                        "  }",
                        "}",
                        ""));
        URI server = services(List.of(STUN, TURN_UDP, TURN_TCP));
        Parley[] p = call(server, office.alice(), office.bob(), 3);
        assertEquals("relay", type(p[0], "local"), Parley.route(p[0].lastRoute()));
        assertEquals("tcp", p[0].lastRoute().text("relayProtocol"), Parley.route(p[0].lastRoute()));
        record(
                "5. UDP blocked on one side's router (the other takes no inbound TCP)",
                "relay, TURN over TCP",
                p[0],
                p[1],
                p[0].msToConnected() + " ms");
    }

    /**
     * The NAT forgets its mappings and takes a new public address. libwebrtc moves to the new mapping by itself
     * (alice's checks arrive from the new address: a peer-reflexive candidate), before our own interruption
     * watch would restart ICE: no "reconnecting", media back in about 2 s.
     */
    @Test
    void aRenumberedNatMidCallRecoversWithoutARestart() throws Exception {
        Home t = aliceBehindNatBobPublic(false);
        Recovery r = midCallChange(t.alice(), t.bob(), () -> net.renumber(t.router(), "203.0.113.4"));
        assertFalse(
                r.alice().wentReconnecting(),
                "the caller restarted ICE: " + r.alice().events());
        assertEquals(
                "prflx",
                type(r.bob(), "remote"),
                "bob does not reach alice's new mapping as learnt from her checks: "
                        + Parley.route(r.bob().lastRoute()));
        assertTrue(r.ms() <= 3_500, "media back only after " + r.ms() + " ms (documented ≈2 s)");
        record6(
                "6a. NAT renumbered mid-call (new public address, mappings forgotten)",
                "libwebrtc follows the new mapping, no restart",
                r);
    }

    /**
     * Alice's own address changes (a new DHCP lease): her sockets on the old one are dead, and so is her signaling
     * connection. Media stops, the call goes "reconnecting", the link check drops the dead WebSocket, the client
     * signs in again and the caller's ICE restart (re-sent once signaling is back) finds the new path: ≈5 s.
     */
    @Test
    void aNewAddressOnTheLanMidCallRecoversThroughAnIceRestart() throws Exception {
        Home t = aliceBehindNatBobPublic(false);
        Recovery r =
                midCallChange(t.alice(), t.bob(), () -> net.readdress(t.alice(), "192.168.0.200", "192.168.0.201"));
        assertTrue(
                r.alice().wentReconnecting(),
                "no reconnecting state: " + r.alice().events());
        assertTrue(
                r.alice().stderr().contains("media interrupted; restarting ICE"),
                r.alice().stderr());
        assertTrue(r.ms() <= 8_000, "media back only after " + r.ms() + " ms (documented ≈5 s)");
        record6(
                "6b. caller's own address changes mid-call (new DHCP lease)",
                "ICE restart after the signaling reconnect",
                r);
    }

    /** Who recovered how: both processes and the ms from the change to media flowing to bob again. */
    private record Recovery(Parley alice, Parley bob, long ms) {}

    /**
     * A 16 s call from alice (a) to bob (b); 2 s after it connects, {@code change} breaks the path it uses. The call
     * must come back: bob receives media again over another path, and the call ends normally on both sides.
     */
    private Recovery midCallChange(String a, String b, Runnable change) throws Exception {
        URI server = services(List.of(STUN, TURN_UDP));
        Parley bob = Parley.answer(lab, b, server);
        Parley alice = Parley.call(lab, a, server, 16);
        alice.await(e -> e.name().equals("state") && e.text("state").equals("connected"), 30, "connected");
        bob.await(
                e -> e.name().equals("stats")
                        && e.json().has("remoteAddress")
                        && e.json().get("bitrateInKbps").getAsLong() > 0,
                10,
                "media before the change");
        Thread.sleep(2000); // a deliberate stretch of steady call before the change, not a wait for anything
        String oldPath = bob.lastRoute().text("remoteAddress");
        long changed = System.currentTimeMillis();
        change.run();
        // Media again over a path other than the old one. (libwebrtc hides peer-reflexive addresses in its stats,
        // so "other" is all that can be asserted about the address in general.)
        Parley.Event back = bob.await(
                e -> e.epochMs() > changed + 1000
                        && e.name().equals("stats")
                        && !e.text("remoteAddress").equals(oldPath)
                        && e.json().get("bitrateInKbps").getAsLong() > 0,
                20,
                "media over a new path");
        alice.assertExit(0, 40);
        bob.assertExit(0, 20);
        return new Recovery(alice, bob, back.epochMs() - changed);
    }

    private void record6(String scenario, String expected, Recovery r) {
        results.add(String.format(
                Locale.ROOT,
                "| %s | %s | %s; %s — %s | media back within %d ms of the change |",
                scenario,
                expected,
                Parley.route(r.alice().lastRoute()),
                Parley.route(r.bob().lastRoute()),
                r.alice().wentReconnecting()
                        ? "the caller went reconnecting and restarted ICE"
                        : "ICE switched to the new path by itself (peer-reflexive), no restart",
                r.ms()));
    }

    private static void noRelay(Parley[] p) {
        for (Parley side : p) {
            assertFalse(
                    "relay".equals(type(side, "local")) || "relay".equals(type(side, "remote")),
                    "relayed: " + Parley.route(side.lastRoute()));
        }
    }
}
