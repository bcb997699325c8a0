package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.SecurityCode;
import dev.parley.call.Trust;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.FxTest;
import dev.parley.testsupport.Screenshots;
import dev.parley.testsupport.UiWait;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verified calls as a user meets them: the first call shows a code to compare and, after "the codes match", the
 * peer is verified; the next call says "Verified" at once (both installations keep their DTLS identity); when the
 * peer calls from an installation with another key, the call warns that the key changed and asks to compare again.
 */
@Timeout(150)
class VerifiedCallUiTest extends FxTest {
    @TempDir
    Path temp;

    private SignalingServer server;
    private UiFixture.Client me;
    private UiFixture.Client bob;
    private Stage stage;

    @BeforeEach
    void setUp() throws Exception {
        server = UiFixture.server(0);
        me = new UiFixture.Client(temp.resolve("me"), 440);
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

    @Test
    void aPeerMarkedVerifiedIsVerifiedOnTheNextCallAndAChangedKeyIsShown() throws Exception {
        bob.signIn(server.uri(), "bob");
        UiSteps.signIn(this, server.uri(), "alice");
        UiSteps.addContact(this, "bob");

        // First call: a code to compare; the user says it matched.
        CallSession first = call(bob);
        String code = first.securityCode().display();
        UiWait.until(() -> text("#call-code").equals("Code: " + code));
        type(KeyCode.D);
        UiWait.until(() -> visible("#mark-verified"));
        assertEquals("The codes match: remember bob as verified", text("#mark-verified"));
        clickOn("#mark-verified");
        UiWait.until(() -> text("#call-code").equals("Verified") && !visible("#mark-verified"));
        String bobsKey = bob.service.trust().identity().fingerprint();
        assertEquals(Trust.Standing.VERIFIED, me.service.trust().standing("bob", bobsKey), "remembered");
        Screenshots.save(stage.getScene(), "call-verified");
        hangUp(first);

        // The next call with the same installation: verified without comparing.
        CallSession second = call(bob);
        assertFalse(code.equals(second.securityCode().display()), "a new call, a new code");
        UiWait.until(() -> text("#call-code").equals("Verified"));
        hangUp(second);

        // bob now calls from another installation (a new device, or someone in the middle): warned.
        bob.close();
        bob = new UiFixture.Client(temp.resolve("bob-elsewhere"), 660).signIn(server.uri(), "bob");
        CallSession third = call(bob);
        String newCode = third.securityCode().display();
        UiWait.until(() -> text("#call-code").equals("Code: " + newCode + " — key changed"));
        assertTrue(node("#call-code").getStyleClass().contains("warning"));
        type(KeyCode.D);
        UiWait.until(() -> visible("#details-standing") && visible("#mark-verified"));
        assertTrue(text("#details-standing").startsWith("bob is using a key you have not verified"));
        Screenshots.save(stage.getScene(), "call-key-changed");
        hangUp(third);
    }

    /** Alice presses Enter on bob in her contacts and bob accepts; returns bob's side once it has the code. */
    private CallSession call(UiFixture.Client callee) throws Exception {
        UiWait.until(() -> lookup("bob · Online").tryQuery().isPresent(), 15);
        clickOn("bob · Online").type(KeyCode.ENTER);
        CallSession bobs = callee.incoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(bobs, "bob never rang");
        bobs.accept();
        UiWait.until(
                () -> bobs.state() == CallState.CONNECTED && bobs.securityCode().status() == SecurityCode.Status.READY,
                20);
        return bobs;
    }

    private void hangUp(CallSession bobs) throws Exception {
        bobs.hangup();
        UiWait.until(() -> lookup("#contacts").tryQuery().isPresent(), 15);
    }

    private String text(String query) {
        return ((Labeled) lookup(query).query()).getText();
    }

    private boolean visible(String query) {
        return lookup(query).tryQuery().map(Node::isVisible).orElse(false);
    }

    private Node node(String query) {
        return lookup(query).query();
    }
}
