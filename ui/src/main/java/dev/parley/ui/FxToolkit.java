package dev.parley.ui;

import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;

/**
 * Starts the JavaFX toolkit before anything else of the desktop app: it takes half a second on its own thread, while
 * the app sets up logging and assembles its services. No logger here: loading one would delay the start it hurries.
 */
public final class FxToolkit {
    private FxToolkit() {}

    /**
     * Starts the toolkit on a thread of its own and returns at once. The FX thread keeps the JVM alive from then on,
     * until the last window closes.
     *
     * @return completed once the toolkit runs, or exceptionally if it cannot start (no display, say)
     */
    public static CompletableFuture<Void> start() {
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread starter = new Thread(
                () -> {
                    try {
                        Platform.setImplicitExit(true);
                        Platform.startup(() -> running.complete(null));
                    } catch (RuntimeException | Error failed) {
                        running.completeExceptionally(failed);
                    }
                },
                "parley-fx-start");
        starter.start();
        return running;
    }
}
