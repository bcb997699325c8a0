package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley} with no arguments opens the desktop window (here on the test's Xvfb display). */
@SystemTest
@Timeout(90)
class DesktopLaunchTest {
    @TempDir
    Path home;

    @Test
    void parleyWithoutArgumentsOpensTheWindowAndClosesOnSigterm() {
        try (ChildProcess parley = ParleyProcess.start(
                home,
                "parley",
                Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(), "HOME", home.toString()))) {
            parley.awaitErrorLine(l -> l.contains("Window shown"), Duration.ofSeconds(60), "the window");
            assertTrue(parley.process().isAlive(), "the app keeps running with its window open");
            parley.terminate(); // SIGTERM, as a desktop session ending would
            parley.awaitExit(Duration.ofSeconds(20));
        }
    }

    /**
     * What the desktop entry runs for a {@code parley:} link: {@code parley parley:call/NAME}. On a first run the app
     * signs in to its built-in server by itself; the link then asks "Call echo?" and nothing is dialed until the user
     * says so (a web page can open such a link).
     */
    @Test
    void aCallLinkOpensTheAppAndAsksBeforeCalling() throws Exception {
        try (ChildProcess parley = ParleyProcess.start(home, "link", env(), "parley:call/echo")) {
            parley.awaitErrorLine(l -> l.contains("Window shown"), Duration.ofSeconds(60), "the window");
            parley.awaitErrorLine(l -> l.contains("Asking to call echo"), Duration.ofSeconds(60), "the question");
            Thread.sleep(3000); // time enough for a call to start, were it dialed
            assertFalse(parley.stderr().contains(" with echo "), "a call started without asking:\n" + parley.stderr());
            parley.terminate();
            parley.awaitExit(Duration.ofSeconds(20));
        }
    }

    @Test
    void aBadLinkSaysWhatIsWrongAndStillOpensTheApp() {
        try (ChildProcess parley = ParleyProcess.start(home, "bad-link", env(), "parley:call/%zz")) {
            parley.awaitErrorLine(l -> l.contains("Window shown"), Duration.ofSeconds(60), "the window");
            assertTrue(parley.stderr().contains("parley: not a call link: parley:call/%zz"), parley.report());
            parley.awaitErrorLine(
                    l -> l.contains("Showing that a link cannot be opened: parley:call/%zz"),
                    Duration.ofSeconds(20),
                    "the message in the window");
            assertFalse(parley.stderr().contains("\tat "), "a stack trace:\n" + parley.stderr());
            parley.terminate();
            parley.awaitExit(Duration.ofSeconds(20));
        }
    }

    /**
     * One app per user: a second launch (a link clicked while Parley runs, or the menu entry again) hands its
     * arguments to the running app and exits at once, without a window, a server or a sign-in of its own (which
     * would replace the running app's connection: both use the same device id). The running app asks before
     * calling, and says when a link is bad.
     */
    @Test
    void aSecondLaunchHandsItsLinkToTheRunningAppAndExits() throws Exception {
        try (ChildProcess first = ParleyProcess.start(home, "first", env())) {
            first.awaitErrorLine(l -> l.contains("Window shown"), Duration.ofSeconds(60), "the window");
            first.awaitErrorLine(
                    l -> l.contains("Signaling server listening"), Duration.ofSeconds(60), "the built-in server");

            for (String[] launch : new String[][] {
                {"second-link", "parley:call/echo"}, {"second-bad", "parley:call/%zz"}, {"second-plain"}
            }) {
                try (ChildProcess second =
                        ParleyProcess.start(home, launch[0], env(), Arrays.copyOfRange(launch, 1, launch.length))) {
                    second.assertExit(0, Duration.ofSeconds(20));
                    for (String own : new String[] {"Window shown", "Signaling server listening", "signed in"}) {
                        assertFalse(
                                second.stderr().contains(own),
                                launch[0] + " did more than hand over:\n" + second.report());
                    }
                }
            }
            first.awaitErrorLine(l -> l.contains("Asking to call echo"), Duration.ofSeconds(20), "the question");
            first.awaitErrorLine(
                    l -> l.contains("Showing that a link cannot be opened: parley:call/%zz"),
                    Duration.ofSeconds(20),
                    "the bad link's message");
            Thread.sleep(3000);
            assertFalse(first.stderr().contains(" with echo "), "a call started without asking:\n" + first.stderr());
            assertFalse(
                    first.stderr().contains("signed in again"),
                    "the running app's connection was replaced:\n" + first.stderr());
            assertTrue(first.process().isAlive());
            first.terminate();
            first.awaitExit(Duration.ofSeconds(20));
        }
    }

    private Map<String, String> env() {
        return Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(), "HOME", home.toString());
    }
}
