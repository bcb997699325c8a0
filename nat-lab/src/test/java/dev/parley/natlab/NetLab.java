package dev.parley.natlab;

import dev.parley.testsupport.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds simulated networks from named network namespaces, veth pairs, bridges and nftables, and tears them
 * down again: every namespace it made is deleted on {@link #close()}, with whatever still runs in it, even when
 * the scenario failed half-way. Traffic stays inside these namespaces. Needs root.
 */
final class NetLab implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetLab.class);
    private static final AtomicInteger labs = new AtomicInteger();

    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();
    private final List<ChildProcess> processes = new ArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();
    final Path dir;

    NetLab(Path dir) {
        this.dir = dir;
        this.prefix = "pl" + ProcessHandle.current().pid() + "x" + labs.incrementAndGet() + "-";
    }

    /** Fails (never skips) when the lab cannot run here: a system test's tools are installed by test.sh. */
    static void requireTools(String... tools) {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the NAT lab needs root (run it through ./scripts/test.sh)");
        }
        for (String tool : tools) {
            if (!Files.isExecutable(Path.of("/usr/sbin", tool))
                    && !Files.isExecutable(Path.of("/usr/bin", tool))
                    && !Files.isExecutable(Path.of("/sbin", tool))) {
                throw new IllegalStateException("the NAT lab needs " + tool + " (./scripts/test.sh installs it)");
            }
        }
    }

    /** A new namespace with its loopback up; returns its full name. */
    String namespace(String name) {
        String ns = prefix + name;
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** A veth pair from one namespace to another, both ends up. */
    void veth(String nsA, String ifA, String nsB, String ifB) {
        run("ip", "-n", nsA, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        run("ip", "-n", nsA, "link", "set", ifA, "up");
        run("ip", "-n", nsB, "link", "set", ifB, "up");
    }

    void bridge(String ns, String name) {
        run("ip", "-n", ns, "link", "add", name, "type", "bridge");
        run("ip", "-n", ns, "link", "set", name, "up");
    }

    void enslave(String ns, String ifname, String bridge) {
        run("ip", "-n", ns, "link", "set", ifname, "master", bridge);
    }

    void address(String ns, String ifname, String cidr) {
        run("ip", "-n", ns, "addr", "add", cidr, "dev", ifname);
    }

    void removeAddress(String ns, String ifname, String cidr) {
        run("ip", "-n", ns, "addr", "del", cidr, "dev", ifname);
    }

    void defaultRoute(String ns, String via) {
        run("ip", "-n", ns, "route", "add", "default", "via", via);
    }

    void forwarding(String ns) {
        run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    }

    /** Loads an nftables ruleset into a namespace. */
    void nft(String ns, String ruleset) {
        Path file = dir.resolve("nft-" + runs.incrementAndGet() + ".rules");
        try {
            Files.writeString(file, ruleset);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
        run("ip", "netns", "exec", ns, "nft", "-f", file.toString());
    }

    /**
     * Forgets every NAT mapping and connection a router holds (as a rebooted home router would). A flush that fails
     * fails the scenario: an old mapping would carry the call on and the scenario would prove nothing. (The table
     * does not stay empty: packets of the call in progress make new entries at once.)
     */
    void flushConntrack(String ns) {
        String said = execChecked(ns, 10, "conntrack", "-F").output();
        if (!said.contains("flow entries have been deleted") && !said.contains("table has been emptied")) {
            throw new IllegalStateException("conntrack -F in " + ns + " did not say it flushed: " + said);
        }
    }

    /** Starts a command in a namespace, its stdout in {@code NAME.out} and stderr in {@code NAME.err}; stopped on close. */
    ChildProcess spawn(String ns, String name, List<String> command, Map<String, String> env) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(command);
        ChildProcess p = ChildProcess.start(dir, name, cmd, env);
        processes.add(p);
        return p;
    }

    /** Runs a command to completion in a namespace (killed after the timeout); returns its exit code and output. */
    Result exec(String ns, long timeoutSeconds, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        return execute(timeoutSeconds, cmd);
    }

    /** Like {@link #exec}, and the command must succeed. */
    Result execChecked(String ns, long timeoutSeconds, String... command) {
        Result r = exec(ns, timeoutSeconds, command);
        if (r.exit() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " in " + ns + " failed (" + r.exit() + "): " + r.output());
        }
        return r;
    }

    record Result(int exit, String output) {}

    void run(String... command) {
        Result r = execute(20, List.of(command));
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.exit() + "): "
                    + r.output().strip());
        }
    }

    /** Output in files, a deadline on the exit: a hung command fails the scenario instead of hanging it. */
    private Result execute(long timeoutSeconds, List<String> command) {
        try (ChildProcess p = ChildProcess.start(dir.resolve("runs"), "run-" + runs.incrementAndGet(), command)) {
            int exit;
            try {
                exit = p.awaitExit(Duration.ofSeconds(timeoutSeconds));
            } catch (AssertionError hung) {
                return new Result(
                        124,
                        "timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n" + p.stdout()
                                + p.stderr());
            }
            return new Result(exit, p.stdout() + p.stderr());
        }
    }

    /** The namespaces of this lab still present (after {@link #close()}: none, or something leaked). */
    List<String> namespacesLeft() {
        return execute(10, List.of("ip", "netns", "list"))
                .output()
                .lines()
                .map(l -> l.split(" ")[0])
                .filter(ns -> ns.startsWith(prefix))
                .toList();
    }

    /** Stops every process and deletes every namespace, in reverse order; logs what fails and goes on. */
    @Override
    public void close() {
        processes.forEach(ChildProcess::close);
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            String ns = namespaces.get(i);
            try {
                // Anything still inside (a daemon that forked) goes too, or the namespace would linger.
                for (String pid :
                        execute(5, List.of("ip", "netns", "pids", ns)).output().split("\\s+")) {
                    if (pid.matches("\\d+")) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                run("ip", "netns", "del", ns);
            } catch (Exception e) {
                log.warn("Could not remove namespace {}: {}", ns, e.toString());
            }
        }
    }
}
