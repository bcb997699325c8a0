package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.FxTest;
import dev.parley.testsupport.Screenshots;
import dev.parley.testsupport.UiWait;
import dev.parley.ui.AutoStart;
import dev.parley.ui.MainWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole product, end to end: the desktop window (as {@code parley} builds it, real device probe included)
 * signs in to a real server, adds a contact and calls it; the contact is a headless {@code parley answer} in
 * another process. The remote video pane's pixels must change over time. Runs in the test JVM's own network
 * namespace under Xvfb (scripts/netns/bin/java).
 */
@Timeout(120)
class DesktopEndToEndTest extends FxTest {
    @TempDir
    Path dir;

    @Test
    void theDesktopAppCallsAHeadlessParleyAndShowsItsVideo() throws Exception {
        try (SignalingServer server = SignalingServer.start(
                        ServerConfig.builder().bind("127.0.0.1").port(0).build());
                DesktopServices services = new DesktopServices(
                        dir.resolve("config"), new AutoStart(dir.resolve("xdg")), "parley", false)) {
            String url = server.uri().toString();
            try (ChildProcess answer = ParleyProcess.start(
                    dir, "answer", "answer", "--server", url, "--user", "bob", "--max-calls", "1")) {
                answer.awaitErrorLine(
                        l -> l.contains("answering calls for bob"), Duration.ofSeconds(30), "bob signed in");
                Stage[] stage = new Stage[1];
                MainWindow[] window = new MainWindow[1];
                WaitForAsyncUtils.asyncFx(() -> {
                            stage[0] = new Stage();
                            window[0] = new MainWindow(stage[0], services.window);
                            window[0].show();
                        })
                        .get(10, TimeUnit.SECONDS);

                // Sign in to an open server: no password.
                clickOn("#server").push(KeyCode.CONTROL, KeyCode.A).write(url);
                clickOn("#user").push(KeyCode.CONTROL, KeyCode.A).write("alice");
                clickOn("#sign-in");
                UiWait.until(() -> lookup("#add-contact").tryQuery().isPresent());
                clickOn("#add-contact");
                write("bob");
                clickOn("#contact-save");
                UiWait.until(() -> services.service.presenceOf("bob") == PresenceStatus.ONLINE
                        && lookup("bob · Online").tryQuery().isPresent());
                clickOn("#contacts").type(KeyCode.ENTER);

                DesktopSteps.awaitCallTimer(this);
                Node pane = lookup("#remote-video").query();
                UiWait.until(pane::isVisible, 20);
                WritableImage picture = UiWait.snapshot(pane);
                for (int i = 0; i < 3; i++) { // moving video: the pane keeps changing
                    picture = UiWait.changes(pane, picture, 50, Duration.ofSeconds(5));
                }
                Screenshots.save(stage[0].getScene(), "end-to-end-call-with-parley-answer");

                press(KeyCode.CONTROL).type(KeyCode.W).release(KeyCode.CONTROL);
                UiWait.until(() -> lookup("#confirm-hang-up").tryQuery().isPresent());
                clickOn("#confirm-hang-up");
                answer.assertExit(0, Duration.ofSeconds(30)); // parley answer ends after its one call
                assertEquals("hung-up", services.service.history().all().get(0).outcome());
                WaitForAsyncUtils.asyncFx(stage[0]::close).get(5, TimeUnit.SECONDS);
            }
        }
    }
}
