package dev.parley.app;

import dev.parley.call.ConfigDirectory;
import dev.parley.ui.AutoStart;
import dev.parley.ui.DesktopApp;
import dev.parley.ui.FxToolkit;
import dev.parley.ui.LaunchRequest;
import dev.parley.ui.MainWindow;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code parley} without a command (or with a {@code parley:} link): the desktop app, over the user's config
 * directory — or, when it runs already, a hand-over of the arguments to it ({@link SingleInstance}).
 */
final class DesktopLauncher {
    private static final Logger log = LoggerFactory.getLogger(DesktopLauncher.class);
    static final Duration HAND_OVER_LIMIT = Duration.ofSeconds(10);

    private DesktopLauncher() {}

    /**
     * Opens the app, or hands {@code args} to the one running and exits 0 (1 if it does not answer).
     *
     * @param toolkit the JavaFX toolkit, starting ({@link FxToolkit#start()})
     * @param args    no arguments, or one {@code parley:} link
     */
    static void launch(CompletableFuture<Void> toolkit, List<String> args) {
        Path config = ConfigDirectory.resolve(System.getenv(), Path.of(System.getProperty("user.home")));
        SingleInstance instance = null;
        try {
            instance = SingleInstance.claim(config);
            if (instance == null) {
                // Before anything else is made: no window, no server, no sign-in under our device id.
                if (SingleInstance.handOver(config, args, HAND_OVER_LIMIT)) {
                    System.exit(0);
                }
                System.err.println("parley: Parley is already running but does not answer; try again, or end it first");
                System.exit(1);
            }
        } catch (IOException e) {
            log.warn("Cannot make sure only one Parley runs ({}); starting anyway", e.toString());
        }
        String launcher = System.getProperty("parley.launcher", "parley");
        DesktopServices services = new DesktopServices(config, AutoStart.forUser(), launcher, true);
        LaunchRequest first = CallLink.request(args);
        SingleInstance running = instance;
        // PARLEY_SCREENSHOT: the install check's picture of the settled window.
        CompletableFuture<MainWindow> window = DesktopApp.start(
                toolkit,
                services.window,
                first != null ? first : LaunchRequest.front(),
                System.getenv("PARLEY_SCREENSHOT"),
                () -> {
                    if (running != null) {
                        running.close();
                    }
                    services.close();
                    System.exit(0);
                });
        if (instance != null) {
            try {
                handLaunchesTo(instance, window, services.window.fx());
            } catch (IOException e) {
                log.warn("Later launches cannot reach this window ({}); they will wait and give up", e.toString());
            }
        }
    }

    /** Each later launch's request goes to the window (once shown), on the FX thread; anything else is dropped. */
    static void handLaunchesTo(SingleInstance instance, CompletableFuture<MainWindow> window, Executor fx)
            throws IOException {
        instance.listen(args -> {
            LaunchRequest request = CallLink.request(args);
            if (request == null) {
                log.warn("Ignored a hand-over that is not a launch of the app ({} argument(s))", args.size());
                return;
            }
            window.thenAccept(w -> fx.execute(() -> w.open(request)));
        });
    }
}
