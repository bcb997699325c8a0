package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.call.SettingsStore;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.FxTest;
import dev.parley.testsupport.Screenshots;
import dev.parley.testsupport.UiWait;
import dev.parley.ui.AutoStart;
import dev.parley.ui.LaunchRequest;
import dev.parley.ui.MainWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A {@code parley:call/NAME} link clicked while Parley runs: the second launch (a real {@code parley} process over
 * the same config directory) hands the link to this app and exits; the window asks "Call echo?" and nothing is
 * dialed until Call is clicked, Cancel dials nothing, a bad link gets a message. The second launch never signs in:
 * the running app's connection to its built-in server stays as it was.
 */
@Timeout(150)
class CallLinkTest extends FxTest {
    @TempDir
    Path dir;

    @Test
    void aLinkHandedOverAsksBeforeCallingAndABadOneIsExplained() throws Exception {
        Path xdg = dir.resolve("xdg");
        Path config = xdg.resolve("parley");
        SettingsStore settings = new SettingsStore(config);
        settings.set(settings.get().withLook("640x480@30", "light", "en", false)); // lighter for a 2-core CI machine
        try (SingleInstance instance = SingleInstance.claim(config);
                DesktopServices services =
                        new DesktopServices(config, new AutoStart(dir.resolve("autostart")), "parley", true)) {
            assertNotNull(instance);
            Stage[] stage = new Stage[1];
            CompletableFuture<MainWindow> shown = new CompletableFuture<>();
            WaitForAsyncUtils.asyncFx(() -> {
                        stage[0] = new Stage();
                        MainWindow window = new MainWindow(stage[0], services.window);
                        window.show();
                        window.open(LaunchRequest.front());
                        shown.complete(window);
                    })
                    .get(10, TimeUnit.SECONDS);
            DesktopLauncher.handLaunchesTo(instance, shown, services.window.fx()); // as DesktopLauncher.launch does
            UiWait.until(
                    () -> lookup("Echo test").tryQuery().isPresent()
                            && services.service.presenceOf("echo") == PresenceStatus.ONLINE,
                    30);
            SignalingServer.Stats before = services.builtIn.stats();
            assertEquals(2, before.authenticated(), "this app and its echo peer: " + before);

            secondLaunch("second-link", "parley:call/echo");
            UiWait.until(() -> lookup("#link-card").tryQuery().isPresent(), 15);
            assertEquals("Call echo?", ((Label) lookup("#link-question").query()).getText());
            Screenshots.save(stage[0].getScene(), "call-link-question");
            Thread.sleep(2000); // time enough for a call to start, were it dialed
            assertTrue(lookup("#call-status").tryQuery().isEmpty(), "a call started without asking");
            assertEquals(0, services.service.history().all().size());
            SignalingServer.Stats after = services.builtIn.stats();
            assertEquals(before.authenticated(), after.authenticated(), "someone else signed in: " + after);
            assertTrue(services.service.signedIn(), "the running app's connection was replaced");

            clickOn("#link-call");
            DesktopSteps.awaitCallTimer(this);
            clickOn("#hang-up");
            UiWait.until(() -> lookup("#contacts").tryQuery().isPresent(), 15);
            assertEquals(1, services.service.history().all().size());

            secondLaunch("second-cancelled", "parley:call/echo");
            UiWait.until(() -> lookup("#link-card").tryQuery().isPresent(), 15);
            clickOn("#link-cancel");
            UiWait.until(() -> lookup("#link-card").tryQuery().isEmpty(), 5);
            Thread.sleep(1000);
            assertTrue(lookup("#call-status").tryQuery().isEmpty(), "Cancel dialed");
            assertEquals(1, services.service.history().all().size());

            ChildProcess bad = secondLaunch("second-bad", "parley:call/%zz");
            assertTrue(bad.stderr().contains("parley: not a call link"), bad.report());
            UiWait.until(() -> lookup("#link-bad-card").tryQuery().isPresent(), 15);
            assertTrue(((Label) lookup("#link-bad").query()).getText().contains("parley:call/%zz"));
            Screenshots.save(stage[0].getScene(), "call-link-bad");
            clickOn("#link-ok");
            UiWait.until(() -> lookup("#link-bad-card").tryQuery().isEmpty(), 5);

            assertEquals(before.authenticated(), services.builtIn.stats().authenticated());
            assertTrue(services.service.signedIn());
            WaitForAsyncUtils.asyncFx(stage[0]::close).get(5, TimeUnit.SECONDS);
        }
    }

    /** {@code parley LINK} as the desktop entry runs it: it must hand over and exit 0 without a window of its own. */
    private ChildProcess secondLaunch(String name, String link) {
        try (ChildProcess second = ParleyProcess.start(
                dir, name, Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString(), "HOME", dir.toString()), link)) {
            second.assertExit(0, Duration.ofSeconds(20));
            assertFalse(second.stderr().contains("Window shown"), second.report());
            assertFalse(second.stderr().contains("Signaling server listening"), second.report());
            return second;
        }
    }
}
