package dev.parley.app;

import dev.parley.testsupport.FxTest;
import dev.parley.testsupport.UiWait;
import dev.parley.testsupport.Screenshots;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.ui.AutoStart;
import dev.parley.ui.DesktopNotifier;
import dev.parley.ui.MainWindow;
import javafx.scene.Node;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        try (SignalingServer server = SignalingServer.start(ServerConfig.builder().bind("127.0.0.1").port(0).build());
             DesktopServices services = new DesktopServices(dir.resolve("config"))) {
            String url = server.uri().toString();
            Process answer = ParleyProcess.builder("answer", "--server", url, "--user", "bob", "--max-calls", "1")
                    .redirectOutput(dir.resolve("answer.out").toFile()).redirectError(dir.resolve("answer.err").toFile())
                    .start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (server.stats().onlineUsers() < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                Stage[] stage = new Stage[1];
                MainWindow[] window = new MainWindow[1];
                WaitForAsyncUtils.asyncFx(() -> {
                    stage[0] = new Stage();
                    window[0] = new MainWindow(stage[0], services.service, new DesktopNotifier(),
                            new AutoStart(dir.resolve("xdg")), "parley");
                    window[0].show();
                }).get(10, TimeUnit.SECONDS);

                // Sign in to an open server: no password.
                clickOn("#server").push(KeyCode.CONTROL, KeyCode.A).write(url);
                clickOn("#user").push(KeyCode.CONTROL, KeyCode.A).write("alice");
                clickOn("#sign-in");
                UiWait.until(() -> lookup("#add-contact").tryQuery().isPresent());
                clickOn("#add-contact");
                write("bob");
                clickOn("#contact-save");
                UiWait.until(() -> services.service.presenceOf("bob") == dev.parley.signaling.protocol.PresenceStatus.ONLINE
                        && lookup("bob · Online").tryQuery().isPresent());
                clickOn("#contacts").type(KeyCode.ENTER);

                UiWait.until(() -> lookup("#call-status").tryQuery().isPresent()
                        && ((javafx.scene.control.Label) lookup("#call-status").query()).getText().matches("\\d+:\\d\\d"), 30);
                Node pane = lookup("#remote-video").query();
                UiWait.until(pane::isVisible, 20);
                List<WritableImage> frames = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Thread.sleep(400);
                    frames.add(UiWait.snapshot(pane));
                }
                for (int i = 1; i < frames.size(); i++) {
                    assertTrue(UiWait.changedPixels(frames.get(i - 1), frames.get(i)) > 50, "the remote pane changes: frame " + i);
                }
                Screenshots.save(stage[0].getScene(), "end-to-end-call-with-parley-answer");

                press(KeyCode.CONTROL).type(KeyCode.W).release(KeyCode.CONTROL);
                UiWait.until(() -> lookup("#confirm-hang-up").tryQuery().isPresent());
                clickOn("#confirm-hang-up");
                assertTrue(answer.waitFor(30, TimeUnit.SECONDS), "parley answer ends after its one call");
                assertEquals(0, answer.exitValue(), Files.readString(dir.resolve("answer.err")));
                assertEquals("hung-up", services.service.history().all().get(0).outcome());
                WaitForAsyncUtils.asyncFx(stage[0]::close).get(5, TimeUnit.SECONDS);
            } finally {
                answer.destroyForcibly();
            }
        }
    }
}
