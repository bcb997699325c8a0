package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.client.GuestLinkAddress;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.FxTest;
import dev.parley.testsupport.RawWebSocket;
import dev.parley.testsupport.Screenshots;
import dev.parley.testsupport.UiWait;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Invite by link" in the desktop app: the link is made by the server, put on the clipboard and shown; a guest who
 * comes with it rings as "NAME (guest, via link)"; "Revoke link" signs that guest out.
 */
@Timeout(120)
class GuestLinkUiTest extends FxTest {
    @TempDir
    Path temp;

    private SignalingServer server;
    private UiFixture.Client me;
    private Stage stage;

    @BeforeEach
    void setUp() throws Exception {
        server = SignalingServer.start(ServerConfig.builder()
                .bind("127.0.0.1")
                .port(0)
                .authenticator(UiFixture.accounts())
                .build());
        me = new UiFixture.Client(temp.resolve("me"), 440);
        stage = UiSteps.showWindow(me, temp);
    }

    @AfterEach
    void tearDown() throws Exception {
        UiSteps.close(stage);
        me.close();
        server.close();
    }

    /** The link the card shows, once it shows one. */
    private String shownLink() throws Exception {
        UiWait.until(() -> lookup("#guest-link").tryQuery().isPresent());
        return UiWait.onFx(() -> lookup("#guest-link").queryAs(TextField.class).getText());
    }

    /** A guest's browser, as far as the server sees it: signs in with the link's token and calls alice. */
    private RawWebSocket guestCalls(String link, String name, String callId) throws Exception {
        RawWebSocket guest = RawWebSocket.connect(server.uri());
        guest.sendText("{\"type\":\"hello\",\"v\":1,\"link\":\"" + GuestLinkAddress.token(link) + "\",\"name\":\""
                + name + "\"}");
        String welcome = guest.nextText(10, TimeUnit.SECONDS);
        assertNotNull(welcome);
        assertTrue(welcome.contains("\"guestOf\":\"alice\""), welcome);
        guest.sendText("{\"type\":\"invite\",\"v\":1,\"callId\":\"" + callId
                + "\",\"to\":\"alice\",\"media\":[\"audio\",\"video\"]}");
        return guest;
    }

    @Test
    void aLinkIsMadeCopiedAndRevokedAndItsGuestRingsAsAGuest() throws Exception {
        UiSteps.signIn(this, server.uri(), "alice");

        clickOn("#invite-link");
        String link = shownLink();
        assertTrue(link.matches("http://127\\.0\\.0\\.1:" + server.uri().getPort() + "/join/[A-Za-z0-9_-]{22}"), link);
        assertEquals(link, UiWait.onFx(() -> Clipboard.getSystemClipboard().getString()), "on the clipboard");
        Screenshots.save(stage.getScene(), "guest-link");

        // Revoked: a guest signed in with it is signed out, and the card goes.
        RawWebSocket first = guestCalls(link, "Ann", "g-first");
        UiWait.until(() -> lookup("#incoming-title").tryQuery().isPresent(), 15);
        assertEquals(
                "Ann (guest, via link) is calling",
                UiWait.onFx(() -> lookup("#incoming-title").queryAs(Label.class).getText()));
        clickOn("#decline");
        clickOn("#revoke-link");
        UiWait.until(() -> lookup("#link-card").tryQuery().isEmpty());
        assertEquals(1008, first.closed().get(10, TimeUnit.SECONDS), "the guest was signed out");
        first.close();

        // A new link works; the guest rings again under the name it typed.
        clickOn("#invite-link");
        String second = shownLink();
        assertTrue(!second.equals(link), "a new link");
        clickOn("#close-link");
        try (RawWebSocket guest = guestCalls(second, "Бора", "g-second")) {
            UiWait.until(
                    () -> lookup("#incoming-title").tryQuery().isPresent()
                            && UiWait.onFx(() -> lookup("#incoming-title")
                                            .queryAs(Label.class)
                                            .getText())
                                    .equals("Бора (guest, via link) is calling"),
                    15);
            clickOn("#decline");
            String declined = null;
            for (int i = 0; i < 10 && (declined == null || !declined.contains("\"decline\"")); i++) {
                declined = guest.nextText(5, TimeUnit.SECONDS);
            }
            assertNotNull(declined);
            assertTrue(declined.contains("\"decline\""), declined);
        }
    }
}
