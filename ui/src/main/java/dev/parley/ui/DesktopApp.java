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
    public static void start(ClientService service, LocalServer local, String launchCommand, Runnable onExit) {
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
            window.show();
            log.info("Window shown {} ms after the JVM started",
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        });
    }
}
