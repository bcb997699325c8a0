package dev.parley.app;

import dev.parley.testsupport.UiWait;
import javafx.scene.control.Label;
import org.testfx.api.FxRobot;

/** What the desktop app's tests wait for the same way, as the user sees it. */
final class DesktopSteps {
    private DesktopSteps() {}

    /** Waits (up to 30 s) until the call screen's timer runs (m:ss): the call is connected. */
    static void awaitCallTimer(FxRobot r) throws Exception {
        UiWait.until(
                () -> r.lookup("#call-status").tryQuery().isPresent()
                        && ((Label) r.lookup("#call-status").query()).getText().matches("\\d+:\\d\\d"),
                30);
    }
}
