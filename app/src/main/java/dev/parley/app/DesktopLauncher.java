package dev.parley.app;

import dev.parley.call.ConfigDirectory;
import dev.parley.ui.AutoStart;
import dev.parley.ui.DesktopApp;

import java.nio.file.Path;

/** {@code parley} without a command: the desktop app, over the user's config directory. */
final class DesktopLauncher {
    private DesktopLauncher() {
    }

    /** @param dial a user to call once signed in (from a parley: link), or null */
    static void launch(String dial) {
        Path config = ConfigDirectory.resolve(System.getenv(), Path.of(System.getProperty("user.home")));
        String launcher = System.getProperty("parley.launcher", "parley");
        DesktopServices services = new DesktopServices(config, AutoStart.forUser(), launcher, true);
        // PARLEY_SCREENSHOT: the install check's picture of the settled window.
        DesktopApp.start(services.window, dial, System.getenv("PARLEY_SCREENSHOT"), () -> {
            services.close();
            System.exit(0);
        });
    }
}
