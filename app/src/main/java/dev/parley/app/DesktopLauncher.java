package dev.parley.app;

import dev.parley.call.ConfigDirectory;
import dev.parley.ui.DesktopApp;

import java.nio.file.Path;

/** {@code parley} without a command: the desktop app, over the user's config directory. */
final class DesktopLauncher {
    private DesktopLauncher() {
    }

    /** @param dial a user to call once signed in (from a parley: link), or null */
    static void launch(String dial) {
        Path config = ConfigDirectory.resolve(System.getenv(), Path.of(System.getProperty("user.home")));
        DesktopServices services = new DesktopServices(config);
        String launcher = System.getProperty("parley.launcher", "parley");
        DesktopApp.start(services.service, services.builtIn, launcher, dial, () -> {
            services.close();
            System.exit(0);
        });
    }
}
