package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.FxTest;
import dev.parley.testsupport.UiWait;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Every control of every screen can be reached with Tab alone and has a name a screen reader can say: on the
 * sign-in form, the contacts, settings, an incoming call and a call in progress. Tab is pressed as a user
 * presses it (TestFX robot under Xvfb) until the focus comes back to where it started.
 */
@Timeout(180)
class KeyboardAccessTest extends FxTest {
    @TempDir
    Path temp;

    private SignalingServer server;
    private UiFixture.Client me;
    private UiFixture.Client bob;
    private Stage stage;
    private MainWindow window;

    @BeforeEach
    void setUp() throws Exception {
        server = UiFixture.server(0);
        me = new UiFixture.Client(temp.resolve("me"), 440);
        bob = new UiFixture.Client(temp.resolve("bob"), 660);
        WaitForAsyncUtils.asyncFx(() -> {
                    stage = new Stage();
                    window = me.window(stage, new AutoStart(temp.resolve("xdg")), "/opt/parley/bin/parley");
                    window.show();
                })
                .get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (stage != null) {
            WaitForAsyncUtils.asyncFx(stage::close).get(5, TimeUnit.SECONDS);
        }
        me.close();
        bob.close();
        server.close();
    }

    @Test
    void everyControlOnEveryScreenIsReachableByTabAndHasAnAccessibleName() throws Exception {
        UiWait.until(() -> lookup("#sign-in").tryQuery().isPresent());
        checkScreen("sign-in");

        bob.signIn(server.uri(), "bob");
        clickOn("#server").push(KeyCode.CONTROL, KeyCode.A).write(server.uri().toString());
        clickOn("#user").push(KeyCode.CONTROL, KeyCode.A).write("alice");
        clickOn("#password").write(UiFixture.PASSWORD);
        clickOn("#sign-in");
        UiWait.until(() -> lookup("#contacts").tryQuery().isPresent());
        clickOn("#add-contact");
        clickOn("#contact-user").write("bob");
        clickOn("#contact-save");
        UiWait.until(() -> lookup("#contact-save").tryQuery().isEmpty()
                && me.service.contacts().all().size() == 1);
        checkScreen("contacts");

        clickOn("#open-settings");
        UiWait.until(() -> lookup("#settings").tryQuery().isPresent());
        checkScreen("settings");
        type(KeyCode.ESCAPE);
        UiWait.until(() -> lookup("#settings").tryQuery().isEmpty());

        CallSession incoming = bob.service.dial("alice");
        UiWait.until(() -> lookup("#accept-video").tryQuery().isPresent());
        checkScreen("incoming call");
        clickOn("#accept-video");
        UiWait.until(() -> incoming.state() == CallState.CONNECTED && window.callView() != null);
        checkScreen("call");
        // The chat panel with a file offered: Save and Decline are reached by Tab too.
        clickOn("#toggle-chat");
        UiWait.until(() -> lookup("#chat-panel").tryQuery().map(Node::isVisible).orElse(false));
        String offered = incoming.sendFile(java.nio.file.Files.writeString(temp.resolve("agenda.txt"), "1. files"))
                .id();
        UiWait.until(() -> lookup("#file-save-" + offered).tryQuery().isPresent());
        checkScreen("call, chat with a file offered");
        incoming.hangup();
        UiWait.until(() -> window.callView() == null, 15);
    }

    /** Tabs around the scene once; asserts every control that can take focus was reached and has a name. */
    private void checkScreen(String screen) throws Exception {
        Scene scene = stage.getScene();
        List<String> unnamed = new ArrayList<>();
        Set<Node> reached = new LinkedHashSet<>();
        Node start = null;
        for (int presses = 0; presses < 80; presses++) {
            type(KeyCode.TAB);
            WaitForAsyncUtils.waitForFxEvents();
            Node focused = UiWait.onFx(scene::getFocusOwner);
            assertNotNull(focused, screen + ": Tab left the window without a focus");
            if (focused.equals(start)) {
                break; // round the whole cycle
            }
            if (start == null) {
                start = focused;
            }
            reached.add(focused);
        }
        List<Node> shouldBeReached = UiWait.onFx(() -> focusable(scene.getRoot(), new ArrayList<>()));
        List<String> missed = new ArrayList<>();
        for (Node n : shouldBeReached) {
            if (!reached.contains(n)) {
                missed.add(describe(n));
            }
        }
        for (Node n : reached) {
            String name = UiWait.onFx(() -> accessibleName(n, scene));
            if (name == null || name.isBlank()) {
                unnamed.add(describe(n));
            }
        }
        assertEquals(List.of(), missed, screen + ": controls Tab never reaches");
        assertEquals(List.of(), unnamed, screen + ": controls without an accessible name");
    }

    /** Visible, enabled controls that take focus from the keyboard (scroll bars and the like are not stops). */
    private static List<Node> focusable(Parent parent, List<Node> into) {
        for (Node child : parent.getChildrenUnmodifiable()) {
            if (!child.isVisible() || child.isDisabled()) {
                continue;
            }
            if (child instanceof Control c
                    && c.isFocusTraversable()
                    && !(c instanceof ScrollBar)
                    && !(c instanceof ScrollPane)
                    && c.getScene() != null
                    && c.localToScene(c.getBoundsInLocal()).getWidth() > 0) {
                into.add(c);
            }
            if (child instanceof Parent p) {
                focusable(p, into);
            }
        }
        return into;
    }

    /** What a screen reader says for a control: its accessible text, its own text, its prompt, or its label's. */
    private static String accessibleName(Node n, Scene scene) {
        if (n.getAccessibleText() != null && !n.getAccessibleText().isBlank()) {
            return n.getAccessibleText();
        }
        if (n instanceof Labeled l && l.getText() != null && !l.getText().isBlank()) {
            return l.getText();
        }
        if (n instanceof TextInputControl t
                && t.getPromptText() != null
                && !t.getPromptText().isBlank()) {
            return t.getPromptText();
        }
        for (Node label : scene.getRoot().lookupAll(".label")) {
            if (label instanceof Label l && l.getLabelFor() == n && l.getText() != null) {
                return l.getText();
            }
        }
        return null;
    }

    private static String describe(Node n) {
        return n.getClass().getSimpleName()
                + (n.getId() != null ? "#" + n.getId() : "")
                + (n instanceof Labeled l && l.getText() != null ? " '" + l.getText() + "'" : "");
    }
}
