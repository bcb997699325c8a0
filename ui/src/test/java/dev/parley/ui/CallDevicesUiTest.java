package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.media.FrameStamp;
import dev.parley.media.MediaEngine;
import dev.parley.media.SyntheticDevices;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.FxTest;
import dev.parley.testsupport.Screenshots;
import dev.parley.testsupport.UiWait;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cameras during a call, as the user meets them: chosen from the call's devices menu, pulled out (the call moves
 * to the other camera, then turns the camera off, and says so), and a new one plugged in showing up in the menu.
 * The cameras are synthetic (SyntheticDevices): bob's received frame stamps say which one alice sends.
 */
@Timeout(120)
class CallDevicesUiTest extends FxTest {
    private static final long CAM_B = 1_000_000;

    @TempDir
    Path temp;

    private final SyntheticDevices cameras = new SyntheticDevices();
    private SignalingServer server;
    private UiFixture.Client me;
    private UiFixture.Client bob;
    private Stage stage;

    @BeforeEach
    void setUp() throws Exception {
        cameras.plug("Cam A", 0);
        cameras.plug("Cam B", CAM_B);
        server = UiFixture.server(0);
        me = new UiFixture.Client(temp.resolve("me"), 440, MediaEngine.headless(cameras), false);
        bob = new UiFixture.Client(temp.resolve("bob"), 660);
        stage = UiSteps.showWindow(me, temp);
    }

    @AfterEach
    void tearDown() throws Exception {
        UiSteps.close(stage);
        me.close();
        bob.close();
        server.close();
    }

    private static boolean fromCamB(CallSession bobs) {
        FrameStamp s = bobs.remoteVideo().lastStamp();
        return s != null && s.counter() >= CAM_B;
    }

    private String notice() {
        return lookup("#device-notice")
                .tryQuery()
                .map(n -> n.isVisible() ? ((Label) n).getText() : "")
                .orElse("");
    }

    @Test
    void aCameraIsChosenInTheCallAndOnesPulledOutOrPluggedInAreShown() throws Exception {
        bob.signIn(server.uri(), "bob");
        UiSteps.signIn(this, server.uri(), "alice");
        UiSteps.addContact(this, "bob");
        UiWait.until(() -> lookup("bob · Online").tryQuery().isPresent());
        clickOn("bob · Online").type(KeyCode.ENTER);
        CallSession bobs = bob.incoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(bobs, "bob never rang");
        bobs.accept();
        UiWait.until(
                () -> bobs.state() == CallState.CONNECTED && bobs.remoteVideo().framesReceived() > 0, 20);
        assertTrue(!fromCamB(bobs), "alice starts on the first camera, Cam A");

        clickOn("#call-devices");
        clickOn("Cam B");
        UiWait.until(() -> fromCamB(bobs), 15);

        cameras.unplug("Cam B");
        UiWait.until(() -> notice().equals("Camera “Cam B” was disconnected; now using “Cam A”."));
        UiWait.until(() -> !fromCamB(bobs), 15);
        Screenshots.save(stage.getScene(), "call-camera-pulled-out");

        cameras.unplug("Cam A");
        UiWait.until(() -> notice().equals("Camera “Cam A” was disconnected; your camera is off."));
        UiWait.until(
                () -> this.<ToggleButton>node("#toggle-camera").isSelected()
                        && !bobs.peerMedia().camera(),
                15);

        cameras.plug("Cam C", CAM_B);
        clickOn("#call-devices");
        UiWait.until(() -> lookup("Cam C").tryQuery().isPresent(), 15);
        clickOn("Cam C");
        clickOn("#toggle-camera");
        UiWait.until(() -> bobs.peerMedia().camera() && fromCamB(bobs), 15);
        assertEquals(CallState.CONNECTED, bobs.state());
        bobs.hangup();
        UiWait.until(() -> lookup("#contacts").tryQuery().isPresent(), 15);
    }

    @SuppressWarnings("unchecked")
    private <T extends Node> T node(String query) {
        return (T) lookup(query).query();
    }
}
