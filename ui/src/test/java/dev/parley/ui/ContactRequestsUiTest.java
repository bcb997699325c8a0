package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.call.Contact;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.FxTest;
import dev.parley.testsupport.Screenshots;
import dev.parley.testsupport.UiWait;
import java.nio.file.Path;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contacts on a server that shares presence only between contacts: adding someone asks them, and they show as
 * "request sent" until they accept; someone who asks us shows with Accept and Refuse; accepted, presence flows
 * both ways.
 */
@Timeout(120)
class ContactRequestsUiTest extends FxTest {
    @TempDir
    Path temp;

    private SignalingServer server;
    private UiFixture.Client me;
    private UiFixture.Client bob;
    private UiFixture.Client carol;
    private Stage stage;

    @BeforeEach
    void setUp() throws Exception {
        server = SignalingServer.start(ServerConfig.builder()
                .bind("127.0.0.1")
                .port(0)
                .authenticator(UiFixture.accounts())
                .contactsOnly(null)
                .build());
        me = new UiFixture.Client(temp.resolve("me"), 440);
        bob = new UiFixture.Client(temp.resolve("bob"), 660);
        carol = new UiFixture.Client(temp.resolve("carol"), 550);
        stage = UiSteps.showWindow(me, temp);
    }

    @AfterEach
    void tearDown() throws Exception {
        UiSteps.close(stage);
        me.close();
        bob.close();
        carol.close();
        server.close();
    }

    private String contactsShown() {
        return lookup("#contacts")
                .tryQuery()
                .map(n -> ((Parent) n)
                        .lookupAll(".label").stream()
                                .map(l -> ((Label) l).getText())
                                .reduce("", (a, b) -> a + "|" + b))
                .orElse("");
    }

    @Test
    void aContactRequestWaitsForTheAnswerAndSomeoneWhoAsksCanBeAccepted() throws Exception {
        bob.signIn(server.uri(), "bob");
        carol.signIn(server.uri(), "carol");
        UiSteps.signIn(this, server.uri(), "alice");

        // Adding bob asks him: no presence until he answers, though he is online.
        clickOn("#add-contact");
        clickOn("#contact-user").write("bob");
        clickOn("#contact-save");
        UiWait.until(() -> contactsShown().contains("bob · request sent, waiting for an answer"));
        UiWait.until(() -> bob.service.contactRequests().contains("alice"));
        assertEquals(PresenceStatus.OFFLINE, me.service.presenceOf("bob"), "bob's presence leaked before he agreed");
        bob.service.answerContact("alice", "Alice", true);
        UiWait.until(() -> contactsShown().contains("bob · Online"), 15);

        // carol asks alice: she shows with Accept and Refuse; accepted, each sees the other.
        carol.service.putContact(new Contact("alice", "Alice"));
        UiWait.until(
                () -> contactsShown().contains("carol · wants to be your contact")
                        && lookup("#accept-contact-carol").tryQuery().isPresent(),
                15);
        Screenshots.save(stage.getScene(), "contact-request");
        clickOn("#accept-contact-carol");
        UiWait.until(() -> contactsShown().contains("carol · Online"), 15);
        UiWait.until(() -> carol.service.presenceOf("alice") == PresenceStatus.ONLINE, 15);
    }
}
