package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesktopNotifierTest {
    @TempDir
    Path dir;

    @Test
    void aNotificationRunsTheCommandWithTitleAndBody() throws Exception {
        Path out = dir.resolve("args");
        Path fake = dir.resolve("notify-send");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > '" + out + "'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        DesktopNotifier notifier = new DesktopNotifier(fake);
        assertTrue(notifier.available());
        notifier.notify("bob is calling", "Open Parley to answer.");
        Await.until(
                () -> readOrEmpty(out).contains("Open Parley"),
                Duration.ofSeconds(5),
                () -> "the command did not write its arguments: '" + readOrEmpty(out) + "'");
        assertEquals(
                "--app-name=Parley\n--urgency=critical\nbob is calling\nOpen Parley to answer.\n",
                Files.readString(out));
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** The threads notify starts to run its command. */
    private static List<String> notifyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> n.equals("parley-notify"))
                .toList();
    }

    /** This JVM's child processes, as "pid command line". */
    private static Set<String> children() {
        return ProcessHandle.current()
                .children()
                .map(c -> c.pid() + " " + c.info().commandLine().orElse("?"))
                .collect(Collectors.toSet());
    }

    @Test
    void withoutTheCommandNothingIsStarted() throws Exception {
        Await.until(() -> notifyThreads().isEmpty(), Duration.ofSeconds(10), () -> "left over: " + notifyThreads());
        // The observable, shown on a notifier whose command waits: while it runs there is a "parley-notify"
        // thread and a child process running the command.
        Path started = dir.resolve("started");
        Path release = dir.resolve("release");
        Path waiting = dir.resolve("waiting-notify-send");
        Files.writeString(
                waiting, "#!/bin/sh\ntouch '" + started + "'\nwhile [ ! -e '" + release + "' ]; do sleep 0.05; done\n");
        Files.setPosixFilePermissions(waiting, PosixFilePermissions.fromString("rwx------"));
        new DesktopNotifier(waiting).notify("x", "y");
        Await.until(() -> Files.exists(started), Duration.ofSeconds(5), "the waiting command did not start");
        assertEquals(List.of("parley-notify"), notifyThreads());
        assertTrue(children().stream().anyMatch(c -> c.contains(waiting.toString())), () -> "children: " + children());
        Files.createFile(release);
        Await.until(() -> notifyThreads().isEmpty(), Duration.ofSeconds(10), () -> "still running: " + notifyThreads());

        DesktopNotifier none = new DesktopNotifier(null);
        assertFalse(none.available());
        Set<String> before = children();
        none.notify("x", "y"); // returns normally
        assertEquals(List.of(), notifyThreads(), "a notifier without a command started a thread");
        Set<String> after = new HashSet<>(children());
        after.removeAll(before);
        assertEquals(Set.of(), after, "a notifier without a command started a process");
    }

    @Test
    void startAtLoginWritesAndRemovesAnAutostartEntry() throws Exception {
        AutoStart auto = new AutoStart(dir);
        assertFalse(auto.enabled(), "off by default");
        Path entry = dir.resolve("autostart/parley.desktop");
        assertEquals(entry, auto.entry());
        auto.set(true, "/opt/parley/bin/parley");
        assertTrue(auto.enabled());
        assertEquals(
                "[Desktop Entry]\nType=Application\nName=Parley\nComment=Video calls\n"
                        + "Exec=/opt/parley/bin/parley\nX-GNOME-Autostart-enabled=true\n",
                Files.readString(entry));
        auto.set(false, "/opt/parley/bin/parley");
        assertFalse(Files.exists(entry), "the autostart file is still there");
        assertFalse(auto.enabled());
        try (var left = Files.list(entry.getParent())) {
            assertEquals(List.of(), left.map(Path::toString).toList(), "nothing else left in autostart/");
        }
    }
}
