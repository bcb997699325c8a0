package dev.parley.testsupport;

import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * A UI test: the JavaFX toolkit started once (on the virtual display the system-test JVM runs under), each test
 * opening windows of its own. UI tests are system tests: they need a display.
 */
@SystemTest
public abstract class FxTest extends FxRobot {
    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
        Platform.setImplicitExit(false); // closing a test's window must not stop the toolkit for the next
    }
}
