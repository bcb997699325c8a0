package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.call.SettingsStore;
import dev.parley.media.MediaEngine;
import dev.parley.media.SyntheticDevices;
import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.testsupport.FxTest;
import dev.parley.testsupport.Screenshots;
import dev.parley.testsupport.UiWait;
import dev.parley.ui.AutoStart;
import dev.parley.ui.MainWindow;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A first run: no server set, so the app starts its built-in server, signs in by itself and offers an "Echo test"
 * contact; calling it sends your own video back through a real WebRTC call. Hosting calls on the network opens
 * the built-in server on this machine's address (here the test namespace's veth, 198.18.0.x) to those who have the
 * join code the settings show.
 */
@Timeout(120)
class FirstRunTest extends FxTest {
    @TempDir
    Path dir;

    @Test
    void aFirstRunSignsInByItselfAndTheEchoTestReturnsYourOwnVideo() throws Exception {
        Path config = dir.resolve("config");
        SettingsStore settings = new SettingsStore(config);
        settings.set(settings.get().withLook("640x480@30", "light", "en", false)); // lighter for a 2-core CI machine
        SyntheticDevices cameras = new SyntheticDevices(); // CI has no camera: one at the device seam
        cameras.plug("Test camera", 0);
        try (DesktopServices services = new DesktopServices(
                config, new AutoStart(dir.resolve("xdg")), "parley", true, () -> MediaEngine.headless(cameras))) {
            Stage[] stage = new Stage[1];
            WaitForAsyncUtils.asyncFx(() -> {
                        stage[0] = new Stage();
                        new MainWindow(stage[0], services.window).show();
                    })
                    .get(10, TimeUnit.SECONDS);

            // No sign-in form to fill: signed in to this computer's own server, the echo contact online.
            UiWait.until(
                    () -> lookup("#contacts").tryQuery().isPresent()
                            && lookup("Echo test").tryQuery().isPresent(),
                    30);
            UiWait.until(() -> services.service.presenceOf("echo") == PresenceStatus.ONLINE, 15);
            // The list redraws its cells when presence arrives: click once it shows the echo online, not before.
            UiWait.until(() -> lookup("echo · Online").tryQuery().isPresent(), 15);
            WaitForAsyncUtils.waitForFxEvents();
            assertNull(services.service.settings().get().serverUrl(), "the built-in server is not saved as a server");
            Screenshots.save(stage[0].getScene(), "first-run");

            doubleClickOn("Echo test");
            DesktopSteps.awaitCallTimer(this);
            Node pane = lookup("#remote-video").query();
            UiWait.until(pane::isVisible, 20);
            UiWait.changes(pane, UiWait.snapshot(pane), 50, Duration.ofSeconds(5)); // the echo shows moving video
            Screenshots.save(stage[0].getScene(), "first-run-echo-test");
            clickOn("#hang-up");
            UiWait.until(() -> lookup("#contacts").tryQuery().isPresent(), 15);
            assertEquals("hung-up", services.service.history().all().get(0).outcome());

            // Host calls on this network: the server opens on this machine's address with a join code, the window
            // says it is hosting and who joined, and it closes again.
            assertTrue(
                    lookup("#hosting-status")
                            .tryQuery()
                            .map(n -> !n.isVisible())
                            .orElse(true),
                    "not hosting yet");
            clickOn("#open-settings");
            UiWait.until(() -> lookup("#settings-host-on-network").tryQuery().isPresent());
            assertTrue(
                    ((Label) lookup("#settings-host-about").query()).getText().contains("ws://"),
                    "the settings say what hosting exposes");
            clickOn("#settings-host-on-network");
            UiWait.until(
                    () -> ((Label) lookup("#settings-host-addresses").query()).getText() != null
                            && ((Label) lookup("#settings-host-addresses").query())
                                    .getText()
                                    .contains("ws://198.18.0."),
                    15);
            String shown = ((Label) lookup("#settings-host-addresses").query()).getText();
            Matcher m = Pattern.compile("ws://198\\.18\\.0\\.\\d+:\\d+/signal").matcher(shown);
            assertTrue(m.find(), shown);
            URI lan = URI.create(m.group());
            UiWait.until(() -> ((Label) lookup("#settings-host-join-code").query()).getText() != null, 15);
            Matcher code = Pattern.compile("[A-Z2-9]{4}-[A-Z2-9]{4}")
                    .matcher(((Label) lookup("#settings-host-join-code").query()).getText());
            assertTrue(
                    code.matches(), ((Label) lookup("#settings-host-join-code").query()).getText());
            Screenshots.save(stage[0].getScene(), "settings-host-on-network");
            try (SignalingClientFactory factory = SignalingClientFactory.standard();
                    SignalingClient neighbour = factory.create(ClientConfig.of(lan, "neighbour", code.group()))) {
                assertEquals(
                        "neighbour",
                        neighbour.connect().get(10, TimeUnit.SECONDS).user(),
                        "reachable at " + lan);
                UiWait.until(
                        () -> lookup("#hosting-status").query().isVisible()
                                && ((Label) lookup("#hosting-status").query())
                                        .getText()
                                        .endsWith("others signed in: 1"),
                        15);
                Screenshots.save(stage[0].getScene(), "hosting-status");
            }
            assertTrue(services.service.settings().get().hostOnNetwork());
            clickOn("#settings-host-on-network"); // back to this computer only
            UiWait.until(
                    () -> !((CheckBox) lookup("#settings-host-on-network").query()).isDisabled()
                            && !services.builtIn.hostingOnNetwork(),
                    15);
            try (SignalingClientFactory factory = SignalingClientFactory.standard();
                    SignalingClient neighbour = factory.create(ClientConfig.of(lan, "neighbour", code.group())
                            .withConnectTimeout(Duration.ofSeconds(1)))) {
                assertThrows(
                        TimeoutException.class,
                        () -> neighbour.connect().get(3, TimeUnit.SECONDS),
                        "still reachable from the network");
            }
            UiWait.until(() -> !lookup("#hosting-status").query().isVisible(), 15);
            UiWait.until(() -> services.service.signedIn(), 15); // our own client came back after the restarts
            WaitForAsyncUtils.asyncFx(stage[0]::close).get(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The desktop app sends real media only: on a machine with neither a camera nor a sound system the call starts
     * with the camera off and says why, instead of sending a test pattern and a tone to a real person.
     */
    @Test
    void withoutACameraOrSoundTheCallSendsNoTestPatternAndSaysWhy() throws Exception {
        Path config = dir.resolve("config");
        try (DesktopServices services = new DesktopServices(
                config,
                new AutoStart(dir.resolve("xdg")),
                "parley",
                true,
                () -> MediaEngine.headless(new SyntheticDevices()))) {
            Stage[] stage = new Stage[1];
            WaitForAsyncUtils.asyncFx(() -> {
                        stage[0] = new Stage();
                        new MainWindow(stage[0], services.window).show();
                    })
                    .get(10, TimeUnit.SECONDS);
            UiWait.until(() -> lookup("echo · Online").tryQuery().isPresent(), 30);
            WaitForAsyncUtils.waitForFxEvents();
            doubleClickOn("Echo test");
            UiWait.until(
                    () -> lookup("#device-notice")
                            .tryQuery()
                            .map(Node::isVisible)
                            .orElse(false),
                    30);
            assertEquals(
                    "No camera and no sound system: your camera is off and the other side hears silence.",
                    ((Label) lookup("#device-notice").query()).getText());
            DesktopSteps.awaitCallTimer(this);
            assertTrue(((ToggleButton) lookup("#toggle-camera").query()).isSelected(), "the camera shows as off");
            Thread.sleep(2000); // a window in which a test pattern would have come back from the echo
            assertFalse(lookup("#remote-video").query().isVisible(), "video came back: something was sent");
            Screenshots.save(stage[0].getScene(), "call-without-devices");
            clickOn("#hang-up");
            UiWait.until(() -> lookup("#contacts").tryQuery().isPresent(), 15);
            WaitForAsyncUtils.asyncFx(stage[0]::close).get(5, TimeUnit.SECONDS);
        }
    }
}
