package dev.parley.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!(Files.exists(out) && Files.readString(out).contains("Open Parley")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("--app-name=Parley\n--urgency=critical\nbob is calling\nOpen Parley to answer.\n", Files.readString(out));
    }

    @Test
    void withoutTheCommandNothingHappens() {
        DesktopNotifier none = new DesktopNotifier(null);
        assertFalse(none.available());
        none.notify("x", "y"); // no exception, no process
    }

    @Test
    void startAtLoginWritesAndRemovesAnAutostartEntry() throws Exception {
        AutoStart auto = new AutoStart(dir);
        assertFalse(auto.enabled(), "off by default");
        auto.set(true, "/opt/parley/bin/parley");
        assertTrue(Files.readString(dir.resolve("autostart/parley.desktop")).contains("Exec=/opt/parley/bin/parley\n"));
        auto.set(false, "/opt/parley/bin/parley");
        assertFalse(auto.enabled());
    }
}
