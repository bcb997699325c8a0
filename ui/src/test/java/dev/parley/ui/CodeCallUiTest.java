package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.CodeCall;
import dev.parley.call.InviteCode;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.FxTest;
import dev.parley.testsupport.Screenshots;
import dev.parley.testsupport.UiWait;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Call without a server" in the desktop app, with real WebRTC in the test's network namespace: the window makes an
 * invite code and plays the answer code a headless Parley sends back, or joins a headless Parley's invite and shows
 * the answer code; either way the call connects and shows. Bad pastes are explained in words.
 */
@Timeout(150)
class CodeCallUiTest extends FxTest {
    @TempDir
    Path temp;

    private SignalingServer server; // only to sign the window in: the calls themselves use no server
    private UiFixture.Client me;
    private UiFixture.Client other;
    private Stage stage;

    @BeforeEach
    void setUp() throws Exception {
        server = UiFixture.server(0);
        me = new UiFixture.Client(temp.resolve("me"), 440);
        other = new UiFixture.Client(temp.resolve("other"), 660);
        stage = UiSteps.showWindow(me, temp);
    }

    @AfterEach
    void tearDown() throws Exception {
        UiSteps.close(stage);
        me.close();
        other.close();
        server.close();
    }

    private String text(String id) throws Exception {
        return UiWait.onFx(() -> lookup(id).queryAs(TextArea.class).getText());
    }

    private void paste(String id, String code) throws Exception {
        UiWait.onFx(() -> {
            lookup(id).queryAs(TextArea.class).setText(code);
            return null;
        });
    }

    private String error() throws Exception {
        return UiWait.onFx(() -> lookup("#code-error").queryAs(Label.class).getText());
    }

    private static void awaitConnected(CallSession session) throws Exception {
        UiWait.until(() -> session.state() == CallState.CONNECTED, 40);
    }

    @Test
    void theWindowInvitesAndPlaysTheAnswerCode() throws Exception {
        UiSteps.signIn(this, server.uri(), "alice");
        clickOn("#create-invite");
        UiWait.until(
                () -> lookup("#my-code").tryQuery().isPresent()
                        && !text("#my-code").isEmpty(),
                30);
        String invite = text("#my-code");
        assertTrue(invite.startsWith("parley-"), invite);
        Screenshots.save(stage.getScene(), "code-invite");
        clickOn("#show-qr"); // the same code as a QR code, and back
        UiWait.until(() ->
                lookup("#code-qr").tryQuery().map(javafx.scene.Node::isVisible).orElse(false));
        assertEquals(
                invite,
                UiWait.onFx(() -> QrReading.read(lookup("#code-qr")
                        .queryAs(javafx.scene.image.ImageView.class)
                        .getImage())));
        Screenshots.save(stage.getScene(), "code-invite-qr");
        clickOn("#show-qr");

        // Bad pastes first: words, not a stack trace; the card stays.
        paste("#their-code", "hello, here is my code");
        clickOn("#play-code");
        assertEquals("This is not a Parley code. Paste the whole code, starting with “parley-”.", error());
        paste("#their-code", invite); // its own invite, where the answer is due
        clickOn("#play-code");
        assertTrue(error().startsWith("This is not the code expected here"), error());
        paste("#their-code", invite.substring(0, invite.length() / 2));
        clickOn("#play-code");
        assertTrue(error().startsWith("This code is damaged"), error());

        CodeCall bob = other.service.joinByCode(invite).get(20, TimeUnit.SECONDS);
        InviteCode answer = bob.code().get(30, TimeUnit.SECONDS);
        paste("#their-code", answer.text());
        clickOn("#play-code");
        UiWait.until(() -> lookup("#call-view").tryQuery().isPresent(), 15);
        CallSession bobs = bob.session().get(10, TimeUnit.SECONDS);
        awaitConnected(bobs);
        assertEquals("alice", bobs.peer(), "the joining side knows the inviter by the name in the code");
        clickOn("#hang-up");
        UiWait.until(() -> bobs.state() == CallState.ENDED, 15);
    }

    @Test
    void theWindowJoinsAnInviteAndShowsItsAnswerCode() throws Exception {
        UiSteps.signIn(this, server.uri(), "alice");
        CodeCall carol = other.service.inviteByCode().get(20, TimeUnit.SECONDS);
        String invite = carol.code().get(30, TimeUnit.SECONDS).text();

        clickOn("#join-with-code");
        paste("#their-code", "parley-9.AAAA"); // from another Parley version
        clickOn("#play-code");
        UiWait.until(() -> !error().isEmpty());
        assertEquals("This code is from another version of Parley. You both need the same version.", error());

        paste("#their-code", invite);
        clickOn("#play-code");
        UiWait.until(() -> !text("#my-code").isEmpty(), 30);
        String answer = text("#my-code");
        assertTrue(answer.startsWith("parley-"), answer);
        carol.play(answer);
        UiWait.until(() -> lookup("#call-view").tryQuery().isPresent(), 40);
        CallSession carols = carol.session().get(10, TimeUnit.SECONDS);
        awaitConnected(carols);
        clickOn("#hang-up");
        UiWait.until(() -> carols.state() == CallState.ENDED, 15);
    }

    /** No server at all: from the sign-in screen, without signing in; after the call, back to the sign-in screen. */
    @Test
    void aCallWithoutAServerStartsFromTheSignInScreen() throws Exception {
        CodeCall dave = other.service.inviteByCode().get(20, TimeUnit.SECONDS);
        String invite = dave.code().get(30, TimeUnit.SECONDS).text();
        clickOn("#sign-in-join-with-code");
        paste("#their-code", invite);
        clickOn("#play-code");
        UiWait.until(() -> !text("#my-code").isEmpty(), 30);
        dave.play(text("#my-code"));
        UiWait.until(() -> lookup("#call-view").tryQuery().isPresent(), 40);
        CallSession daves = dave.session().get(10, TimeUnit.SECONDS);
        awaitConnected(daves);
        clickOn("#hang-up");
        UiWait.until(() -> daves.state() == CallState.ENDED, 15);
        UiWait.until(() -> lookup("#sign-in").tryQuery().isPresent(), 15);
        assertTrue(lookup("#add-contact").tryQuery().isEmpty(), "not the home screen: nobody signed in");
    }
}
