package dev.parley.natlab;

import dev.parley.testsupport.Await;
import dev.parley.testsupport.ChildProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A simulated internet: a "wan" namespace whose bridge joins everything public (203.0.113.0/24, TEST-NET-3), the
 * signaling server and coturn on 203.0.113.1, public hosts, and home routers with a LAN behind them
 * (192.168.0.0/24). Routers NAT with nftables: {@link Nat#CONE} is endpoint-independent mapping
 * ({@code masquerade}), {@link Nat#SYMMETRIC} a new port per destination ({@code masquerade fully-random}); both
 * drop unsolicited inbound traffic, as home routers do.
 */
final class Internet {
    static final String SERVER_IP = "203.0.113.1";
    static final String TURN_SECRET = "lab-secret-" + Long.toHexString(System.nanoTime());

    enum Nat {
        CONE,
        SYMMETRIC
    }

    /** A home router: its namespace and public address. */
    record Router(String ns, String wanIp) {}

    private final NetLab lab;
    /** The signaling server, once started. */
    ChildProcess server;

    final String wan;
    private int links;

    Internet(NetLab lab) {
        this.lab = lab;
        wan = lab.namespace("wan");
        lab.bridge(wan, "br0");
        lab.address(wan, "br0", SERVER_IP + "/24");
    }

    /** A host with a public address on the simulated internet. */
    String publicHost(String name, String ip) {
        String ns = lab.namespace(name);
        String port = "w" + (++links);
        lab.veth(wan, port, ns, "nic0");
        lab.enslave(wan, port, "br0");
        lab.address(ns, "nic0", ip + "/24");
        return ns;
    }

    /**
     * A home router: "wan" on the internet with {@code wanIp}, a LAN bridge "lan" with 192.168.0.1/24, NAT from
     * the LAN out, nothing in unless it answers something sent out. {@code blockUdp}: the LAN may not send UDP
     * (a restrictive corporate network), so only TCP reaches out.
     */
    Router router(String name, String wanIp, Nat nat, boolean blockUdp) {
        String ns = lab.namespace(name);
        String port = "w" + (++links);
        lab.veth(wan, port, ns, "wan");
        lab.enslave(wan, port, "br0");
        lab.address(ns, "wan", wanIp + "/24");
        lab.bridge(ns, "lan");
        lab.address(ns, "lan", "192.168.0.1/24");
        lab.forwarding(ns);
        lab.nft(
                ns,
                String.join(
                        "\n",
                        "table ip nat {",
                        "  chain postrouting {",
                        "    type nat hook postrouting priority 100;",
                        "    oifname \"wan\" masquerade" + (nat == Nat.SYMMETRIC ? " fully-random" : "") + ";",
                        "  }",
                        "}",
                        "table ip filter {",
                        // Drop what nobody asked for at the router itself too: a probe it answered would leave a
                        // conntrack entry that makes the next outbound mapping take another port (no hole punching).
                        "  chain incoming {",
                        "    type filter hook input priority 0; policy accept;",
                        "    iifname \"wan\" ct state established,related accept;",
                        "    iifname \"wan\" drop;",
                        "  }",
                        "  chain forwarding {",
                        "    type filter hook forward priority 0; policy drop;",
                        "    ct state established,related accept;",
                        blockUdp ? "    iifname \"lan\" meta l4proto udp drop;" : "",
                        "    iifname \"lan\" accept;",
                        "  }",
                        "}",
                        ""));
        return new Router(ns, wanIp);
    }

    /** A host on a router's LAN. */
    String lanHost(Router router, String name, String ip) {
        String ns = lab.namespace(name);
        String port = "l" + (++links);
        lab.veth(router.ns(), port, ns, "nic0");
        lab.enslave(router.ns(), port, "lan");
        lab.address(ns, "nic0", ip + "/24");
        lab.defaultRoute(ns, "192.168.0.1");
        return ns;
    }

    /** Gives a router a new public address and forgets its mappings: an ISP renumbering the line mid-call. */
    void renumber(Router router, String newWanIp) {
        // Old address out first: deleting a primary address takes the secondaries of its subnet with it.
        lab.removeAddress(router.ns(), "wan", router.wanIp() + "/24");
        lab.address(router.ns(), "wan", newWanIp + "/24");
        lab.flushConntrack(router.ns());
    }

    /** Gives a LAN host a new address (a new DHCP lease): its sockets on the old one stop working. */
    void readdress(String hostNs, String oldIp, String newIp) {
        lab.removeAddress(hostNs, "nic0", oldIp + "/24");
        lab.address(hostNs, "nic0", newIp + "/24");
        lab.defaultRoute(hostNs, "192.168.0.1"); // went with the old address
    }

    /** Starts Debian's coturn on 203.0.113.1:3478 (UDP and TCP) with TURN REST credentials (use-auth-secret). */
    void startTurn() throws Exception {
        Path conf = lab.dir.resolve("turnserver.conf");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "listening-ip=" + SERVER_IP,
                        "relay-ip=" + SERVER_IP,
                        "listening-port=3478",
                        "use-auth-secret",
                        "static-auth-secret=" + TURN_SECRET,
                        "realm=parley.test",
                        "fingerprint",
                        "no-tls",
                        "no-dtls",
                        "no-cli",
                        "no-multicast-peers",
                        "simple-log",
                        "log-file=" + lab.dir.resolve("turnserver.log"),
                        "pidfile=" + lab.dir.resolve("turnserver.pid"),
                        ""));
        ChildProcess turn = lab.spawn(wan, "turnserver", List.of("turnserver", "-c", conf.toString()), Map.of());
        waitListening("3478", "-lun", turn);
        waitListening("3478", "-ltn", turn);
    }

    /**
     * Starts {@code parley server --open} on 203.0.113.1:7443, handing clients these STUN/TURN URIs (TURN ones get
     * time-limited credentials from the shared secret). The secret goes by a file only the owner can read, not on
     * the command line, where every user of the machine could see it. The lab's clients sit behind NAT, not on the
     * server's machine, so an open server gives them TURN credentials only with --turn-for-everyone.
     */
    URI startServer(List<String> iceUris) throws Exception {
        List<String> cmd = new ArrayList<>(Parley.java());
        cmd.addAll(List.of("server", "--open", "--bind", SERVER_IP, "--port", "7443"));
        for (String uri : iceUris) {
            cmd.addAll(List.of("--turn-uri", uri));
        }
        if (iceUris.stream().anyMatch(u -> u.startsWith("turn"))) {
            Path secretFile = lab.dir.resolve("turn-secret");
            Files.writeString(secretFile, TURN_SECRET + "\n");
            Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
            cmd.addAll(List.of("--turn-secret-file", secretFile.toString(), "--turn-for-everyone"));
        }
        server = lab.spawn(wan, "server", cmd, Parley.ENV);
        waitListening("7443", "-ltn", server);
        return URI.create("ws://" + SERVER_IP + ":7443/signal");
    }

    private void waitListening(String port, String ssFlags, ChildProcess daemon) {
        // Java's sockets are dual-stack: 203.0.113.1 shows as [::ffff:203.0.113.1]; match on the port.
        Pattern listening = Pattern.compile(":" + port + "\\s");
        Await.until(
                () -> listening
                                .matcher(lab.execChecked(wan, 5, "ss", "-H", ssFlags)
                                        .output())
                                .find()
                        || !daemon.process().isAlive(),
                Duration.ofSeconds(20),
                () -> "nothing listens on " + SERVER_IP + ":" + port + " (" + ssFlags + ")\n" + daemon.report());
        if (!daemon.process().isAlive()) {
            throw new IllegalStateException("it exited before listening on " + port + "\n" + daemon.report());
        }
    }
}
