package dev.parley.app;

import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code parley} with no arguments opens the desktop window (here on the test's Xvfb display). */
@SystemTest
@Timeout(90)
class DesktopLaunchTest {
    @TempDir
    Path home;

    @Test
    void parleyWithoutArgumentsOpensTheWindowAndClosesOnSigterm() {
        try (ChildProcess parley = ParleyProcess.start(home, "parley",
                Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(), "HOME", home.toString()))) {
            parley.awaitErrorLine(l -> l.contains("Window shown"), Duration.ofSeconds(60), "the window");
            assertTrue(parley.process().isAlive(), "the app keeps running with its window open");
            parley.terminate(); // SIGTERM, as a desktop session ending would
            parley.awaitExit(Duration.ofSeconds(20));
        }
    }
}
