package dev.parley.ui;

import dev.parley.call.ClientService;
import javafx.application.Platform;
import javafx.stage.Stage;

/** Starts the JavaFX toolkit and opens the main window; {@code onExit} runs when the window is closed. */
public final class DesktopApp {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DesktopApp.class);
    private DesktopApp() {
    }

    /** Returns at once; the FX thread keeps the JVM alive until the window closes. */
    public static void start(ClientService service, LocalServer local, String launchCommand, String dial,
                             Runnable onExit) {
        Platform.setImplicitExit(true);
        Platform.startup(() -> {
            Stage stage = new Stage();
            MainWindow window = new MainWindow(stage, service, new DesktopNotifier(), AutoStart.forUser(), launchCommand,
                    local);
            stage.setOnCloseRequest(e -> {
                window.close(); // a camera preview, the ringer: before the media engine goes
                Thread t = new Thread(() -> { // closing calls and devices may take a moment: not on the FX thread
                    try {
                        window.awaitClosed(5_000);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    onExit.run();
                }, "parley-exit");
                t.start();
            });
            window.dialWhenSignedIn(dial);
            window.show();
            log.info("Window shown {} ms after the JVM started",
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
            String shot = System.getenv("PARLEY_SCREENSHOT");
            if (shot != null && !shot.isBlank()) {
                // The install check's proof: a picture of the window once it has settled (signed in or not).
                javafx.animation.PauseTransition settle = new javafx.animation.PauseTransition(javafx.util.Duration.seconds(3));
                settle.setOnFinished(e -> {
                    javafx.scene.image.WritableImage image = stage.getScene().snapshot(null);
                    Thread writer = new Thread(() -> {
                        try {
                            log.info("Screenshot saved to {}", Snapshots.write(image, java.nio.file.Path.of(shot)));
                        } catch (java.io.IOException failed) {
                            log.warn("Cannot save the screenshot to {}: {}", shot, failed.toString());
                        }
                    }, "parley-screenshot");
                    writer.start();
                });
                settle.play();
            }
        });
    }
}
