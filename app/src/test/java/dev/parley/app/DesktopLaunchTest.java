package dev.parley.app;

import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * What the desktop entry runs for a {@code parley:} link: {@code parley parley:call/NAME}. On a first run the app
     * signs in to its built-in server by itself; the link then dials the echo test, and the call connects.
     */
    @Test
    void aCallLinkOpensTheAppAndDialsTheNamedContact() {
        try (ChildProcess parley = ParleyProcess.start(home, "link",
                Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(), "HOME", home.toString()),
                "parley:call/echo")) {
            parley.awaitErrorLine(l -> l.contains("Window shown"), Duration.ofSeconds(60), "the window");
            parley.awaitErrorLine(l -> l.matches(".*Call \\S+ with echo connected.*"), Duration.ofSeconds(60),
                    "the call to echo connected");
            parley.terminate();
            parley.awaitExit(Duration.ofSeconds(20));
        }
    }

    @Test
    void aBadLinkSaysWhatIsWrongAndStillOpensTheApp() {
        try (ChildProcess parley = ParleyProcess.start(home, "bad-link",
                Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(), "HOME", home.toString()),
                "parley:call/%zz")) {
            parley.awaitErrorLine(l -> l.contains("Window shown"), Duration.ofSeconds(60), "the window");
            assertTrue(parley.stderr().contains("parley: not a call link: parley:call/%zz"), parley.report());
            assertFalse(parley.stderr().contains("\tat "), "a stack trace:\n" + parley.stderr());
            parley.terminate();
            parley.awaitExit(Duration.ofSeconds(20));
        }
    }
}
