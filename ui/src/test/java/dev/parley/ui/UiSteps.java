package dev.parley.ui;

import dev.parley.testsupport.UiWait;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** What the UI tests do the same way, as the user does it: open the window, sign in with the form, add a contact. */
final class UiSteps {
    private UiSteps() {}

    /** {@code client}'s window on a new stage, shown (start-at-login entries go under {@code temp}). */
    static Stage showWindow(UiFixture.Client client, Path temp) throws Exception {
        Stage[] stage = new Stage[1];
        WaitForAsyncUtils.asyncFx(() -> {
                    stage[0] = new Stage();
                    client.window(stage[0], new AutoStart(temp.resolve("xdg")), "/opt/parley/bin/parley")
                            .show();
                })
                .get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        return stage[0];
    }

    static void close(Stage stage) throws Exception {
        if (stage != null) {
            WaitForAsyncUtils.asyncFx(stage::close).get(5, TimeUnit.SECONDS);
        }
    }

    /** Fills the sign-in form as {@code user} on {@code server} and waits for the contacts screen. */
    static void signIn(FxRobot r, URI server, String user) throws Exception {
        r.clickOn("#server").push(KeyCode.CONTROL, KeyCode.A).write(server.toString());
        r.clickOn("#user").push(KeyCode.CONTROL, KeyCode.A).write(user);
        r.clickOn("#password").write(UiFixture.PASSWORD);
        r.clickOn("#sign-in");
        UiWait.until(() -> r.lookup("#add-contact").tryQuery().isPresent());
    }

    /** Adds {@code user} to the contacts with the add-contact card. */
    static void addContact(FxRobot r, String user) {
        r.clickOn("#add-contact");
        r.clickOn("#contact-user").write(user);
        r.clickOn("#contact-save");
    }
}
