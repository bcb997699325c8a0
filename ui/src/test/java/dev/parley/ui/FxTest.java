package dev.parley.ui;

import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/** A UI test: the JavaFX toolkit started once (under the Xvfb display the test JVM runs on), windows its own. */
public abstract class FxTest extends FxRobot {
    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
        Platform.setImplicitExit(false); // closing a test's window must not stop the toolkit for the next
    }
}
