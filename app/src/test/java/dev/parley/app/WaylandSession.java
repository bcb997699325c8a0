package dev.parley.app;

import dev.parley.testsupport.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A headless GNOME Wayland desktop of a test's own (wayland-session.sh: mutter with a virtual monitor, PipeWire,
 * the desktop portal), with a fresh home and runtime directory, so no screen-share permission is remembered from
 * before. Closing it kills every process it started.
 */
final class WaylandSession implements AutoCloseable {
    private final Path dir;
    private final Path runtime;
    private final ChildProcess session;
    private final Map<String, String> env = new HashMap<>();

    private WaylandSession(Path dir, Path runtime, ChildProcess session) {
        this.dir = dir;
        this.runtime = runtime;
        this.session = session;
    }

    static WaylandSession start(Path dir) throws Exception {
        Path runtime = Files.createDirectories(dir.resolve("run"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path script = resource(dir, "wayland-session.sh");
        ChildProcess p = ChildProcess.start(
                dir,
                "wayland-session",
                List.of(
                        "setsid",
                        "env",
                        "-i",
                        "HOME=" + home,
                        "PATH=/usr/bin:/bin",
                        "XDG_RUNTIME_DIR=" + runtime,
                        "dbus-run-session",
                        "--",
                        "bash",
                        script.toString(),
                        dir.toString()),
                Map.of());
        WaylandSession s = new WaylandSession(dir, runtime, p);
        Path ready = dir.resolve("session.env");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(ready)) {
            if (System.nanoTime() > deadline || !p.process().isAlive()) {
                s.close();
                throw new AssertionError("the Wayland session did not start:\n" + p.report() + "\n--- mutter:\n"
                        + readIfThere(dir.resolve("mutter.log")));
            }
            Thread.sleep(100);
        }
        s.env.put("HOME", home.toString());
        s.env.put("XDG_RUNTIME_DIR", runtime.toString());
        s.env.put("XDG_SESSION_TYPE", "wayland");
        s.env.put("XDG_CURRENT_DESKTOP", "GNOME");
        for (String line : Files.readAllLines(ready)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                s.env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return s;
    }

    /** What a program needs to run on this desktop (it replaces the test's own display and bus). */
    Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** Starts {@code command} on this desktop, output in {@code dir/NAME.out|err}. */
    ChildProcess run(String name, List<String> command) {
        return ChildProcess.start(dir, name, command, env);
    }

    /** Answers the desktop's "Screen Share" dialog ("share" or "cancel") once it shows, within 60 s. */
    ChildProcess answerDialog(String choice) throws IOException {
        return answerDialog(choice, 0);
    }

    /** The same, {@code thinkSeconds} after it shows. */
    ChildProcess answerDialog(String choice, int thinkSeconds) throws IOException {
        Path script = resource(dir, "screen-share-dialog.py");
        // Debian's own Python, where python3-pyatspi is (not a python3 earlier on the PATH)
        return run(
                "dialog-" + choice,
                List.of("/usr/bin/python3", script.toString(), choice, "60", Integer.toString(thinkSeconds)));
    }

    String logs() {
        return session.report() + "\n--- mutter:\n" + readIfThere(dir.resolve("mutter.log"));
    }

    private static Path resource(Path dir, String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = WaylandSession.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static String readIfThere(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(none)";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        session.close(); // it and every process under it: mutter, Xwayland, PipeWire, the bus and the portals
        // The document portal mounts a FUSE file system in the runtime directory; killed, its helper leaves the
        // mount for a moment, and the test's folder could not be deleted under it.
        Path doc = runtime.resolve("doc");
        try {
            for (int i = 0; i < 50 && mounted(doc); i++) {
                if (i == 0) {
                    new ProcessBuilder("fusermount3", "-u", "-z", doc.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor();
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            // no fusermount3: nothing was mounted with it either
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean mounted(Path path) throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/mounts"))) {
            return lines.anyMatch(l -> l.split(" ")[1].equals(path.toString()));
        }
    }
}
