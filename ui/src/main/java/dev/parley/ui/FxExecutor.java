package dev.parley.ui;

import javafx.application.Platform;

import java.util.concurrent.Executor;

/**
 * The one hop onto the JavaFX thread. View models receive events from call, signaling and native threads and
 * pass them through here; nothing else in Parley calls {@code Platform.runLater}.
 */
public final class FxExecutor implements Executor {
    public static final FxExecutor INSTANCE = new FxExecutor();

    private FxExecutor() {
    }

    @Override
    public void execute(Runnable command) {
        Platform.runLater(command);
    }
}
