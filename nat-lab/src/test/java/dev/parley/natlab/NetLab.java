package dev.parley.natlab;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
    private final List<Process> processes = new ArrayList<>();
    final Path dir;

    NetLab(Path dir) {
        this.dir = dir;
        this.prefix = "pl" + ProcessHandle.current().pid() + "x" + labs.incrementAndGet() + "-";
    }

    static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/ip"))
                && Files.isExecutable(Path.of("/usr/sbin/nft"));
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
        runWithInput(ruleset, "ip", "netns", "exec", ns, "nft", "-f", "-");
    }

    /** Forgets every NAT mapping and connection a router holds (as a rebooted home router would). */
    void flushConntrack(String ns) {
        List<String> cmd = List.of("ip", "netns", "exec", ns, "conntrack", "-F");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("conntrack -F failed in " + ns, e);
        }
    }

    /** Starts a command in a namespace, output to {@code log}; stopped on close. */
    Process spawn(String ns, Path log, List<String> command, java.util.Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(command);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().putAll(env);
        Process p = b.start();
        processes.add(p);
        return p;
    }

    /** Starts a command in a namespace with stdout piped to the caller and stderr to {@code errLog}. */
    Process spawnPiped(String ns, Path errLog, List<String> command, java.util.Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(command);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectError(errLog.toFile());
        b.environment().putAll(env);
        Process p = b.start();
        processes.add(p);
        return p;
    }

    /** Runs a command to completion in a namespace; returns its exit code and output. */
    Result exec(String ns, long timeoutSeconds, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("timeout", String.valueOf(timeoutSeconds), "ip", "netns", "exec", ns));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return new Result(p.exitValue(), out);
    }

    record Result(int exit, String output) {
    }

    void run(String... command) {
        runWithInput(null, command);
    }

    private void runWithInput(String input, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (input != null) {
                p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops every process and deletes every namespace, in reverse order; logs what fails and goes on. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            String ns = namespaces.get(i);
            try {
                // Anything still inside (a daemon that forked) goes too, or the namespace would linger.
                Process pids = new ProcessBuilder("ip", "netns", "pids", ns).start();
                for (String pid : new String(pids.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\\s+")) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                pids.waitFor(5, TimeUnit.SECONDS);
                run("ip", "netns", "del", ns);
            } catch (Exception e) {
                log.warn("Could not remove namespace {}: {}", ns, e.toString());
            }
        }
    }
}
