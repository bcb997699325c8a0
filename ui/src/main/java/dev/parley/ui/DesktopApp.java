package dev.parley.ui;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javafx.animation.PauseTransition;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the JavaFX toolkit and opens the main window on it, over parts the app has assembled. */
public final class DesktopApp {
    private static final Logger log = LoggerFactory.getLogger(DesktopApp.class);

    private DesktopApp() {}

    /**
     * Opens the main window once {@code toolkit} runs. Returns at once. When the window closes, {@code onExit}
     * runs on a thread of its own: closing calls and devices may take a moment, and the FX thread never waits.
     *
     * @param toolkit    from {@link FxToolkit#start()}
     * @param launch     what this launch asks (a parley: link's call, asked about once signed in)
     * @param screenshot where to save a picture of the window once it has settled (the install check), or null
     * @return the window, once shown (completed on the FX thread): later launches are handed to it
     */
    public static CompletableFuture<MainWindow> start(
            CompletableFuture<Void> toolkit,
            MainWindow.Parts parts,
            LaunchRequest launch,
            String screenshot,
            Runnable onExit) {
        CompletableFuture<MainWindow> shown = new CompletableFuture<>();
        toolkit.whenComplete((running, failed) -> {
            if (failed != null) {
                log.error("The window system cannot start: {}", failed.toString());
                shown.completeExceptionally(failed);
                onExit.run();
                return;
            }
            parts.fx().execute(() -> {
                Stage stage = new Stage();
                MainWindow window = new MainWindow(stage, parts);
                stage.setOnCloseRequest(e -> {
                    window.close(); // a camera preview, a call's video: before the media engine goes
                    new Thread(onExit, "parley-exit").start();
                });
                window.show();
                window.open(launch);
                shown.complete(window);
                log.info(
                        "Window shown {} ms after the JVM started",
                        ManagementFactory.getRuntimeMXBean().getUptime());
                if (screenshot != null && !screenshot.isBlank()) {
                    saveWhenSettled(stage, Path.of(screenshot));
                }
            });
        });
        return shown;
    }

    /** The install check's proof: a picture of the window after three seconds (signed in or not). */
    private static void saveWhenSettled(Stage stage, Path file) {
        PauseTransition settle = new PauseTransition(Duration.seconds(3));
        settle.setOnFinished(e -> {
            WritableImage image = stage.getScene().snapshot(null);
            Thread writer = new Thread(
                    () -> {
                        try {
                            log.info("Screenshot saved to {}", Snapshots.write(image, file));
                        } catch (IOException failed) {
                            log.warn("Cannot save the screenshot to {}: {}", file, failed.toString());
                        }
                    },
                    "parley-screenshot");
            writer.start();
        });
        settle.play();
    }
}
