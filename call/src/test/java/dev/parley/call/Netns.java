package dev.parley.call;

import dev.parley.testsupport.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Changes to the test JVM's own network namespace (scripts/netns/bin/java: veth {@code pa} 198.18.0.1/24 and
 * {@code pb} 198.18.0.2/24, loopback): moving an address, blocking a port. Nothing here reaches outside it.
 */
final class Netns {
    private Netns() {}

    /** Moves an interface of the namespace to another address (as a laptop moving to another network). */
    static void renumber(String from, String to, String device) throws Exception {
        run("ip", "addr", "del", from + "/24", "dev", device);
        run("ip", "addr", "add", to + "/24", "dev", device);
    }

    /** Every TCP packet to or from {@code port} is dropped: connections over it go silent (not closed). */
    static void blockTcpPort(int port) throws Exception {
        nft("add table inet parleytest\n"
                + "add chain inet parleytest out { type filter hook output priority 0; }\n"
                + "add rule inet parleytest out tcp dport " + port + " drop\n"
                + "add rule inet parleytest out tcp sport " + port + " drop\n");
    }

    static void unblock() throws Exception {
        nft("delete table inet parleytest\n");
    }

    private static void nft(String ruleset) throws Exception {
        Path file = Files.createTempFile("parley-nft", ".rules");
        try {
            Files.writeString(file, ruleset);
            run("nft", "-f", file.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void run(String... command) throws Exception {
        Path dir = Files.createTempDirectory("parley-netns");
        try (ChildProcess p = ChildProcess.start(dir, "cmd", List.of(command))) {
            p.assertExit(0, Duration.ofSeconds(10));
        }
    }
}
