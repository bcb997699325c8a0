package dev.parley.ui;

import java.util.concurrent.Executor;
import javafx.application.Platform;

/**
 * Hops onto the JavaFX thread: the one way there. View models receive events from call, signaling and native
 * threads and pass them through here; nothing else in Parley calls {@code Platform.runLater}. Made once by the
 * app's assembly and handed to whatever needs it.
 */
public final class FxExecutor implements Executor {
    @Override
    public void execute(Runnable command) {
        Platform.runLater(command);
    }
}
