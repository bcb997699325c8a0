package dev.parley.app;

import dev.parley.call.CallHistory;
import dev.parley.call.CallOptions;
import dev.parley.call.ClientService;
import dev.parley.call.ConfigDirectory;
import dev.parley.call.ContactStore;
import dev.parley.call.SettingsStore;
import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.ui.DesktopApp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code parley} without a command: the desktop app. Builds the services with constructors (the stores in the
 * user's config directory, the media engine probing devices on a thread of its own so the window shows at
 * once), opens the window, and closes everything in reverse order when the window closes.
 */
final class DesktopLauncher {
    private static final Logger log = LoggerFactory.getLogger(DesktopLauncher.class);

    private DesktopLauncher() {
    }

    static void launch() {
        Path config = ConfigDirectory.resolve(System.getenv(), Path.of(System.getProperty("user.home")));
        SettingsStore settings = new SettingsStore(config);
        ContactStore contacts = new ContactStore(config);
        CallHistory history = new CallHistory(config);
        CompletableFuture<MediaEngine> media = new CompletableFuture<>();
        Thread probe = new Thread(() -> {
            try {
                media.complete(MediaEngine.create(Duration.ofSeconds(2)));
            } catch (Throwable e) {
                log.error("The media engine failed to start", e);
                media.completeExceptionally(e);
            }
        }, "parley-media-start");
        probe.setDaemon(true);
        probe.start();
        SignalingClientFactory factory = SignalingClientFactory.standard();
        // Real devices; a machine with neither camera nor sound system sends a test pattern (ClientService).
        ClientService service = new ClientService(media, factory, contacts, settings, history,
                CallOptions.defaults().withFakeMedia(false));
        String launcher = System.getProperty("parley.launcher", "parley");
        DesktopApp.start(service, launcher, () -> {
            service.close();
            media.thenAccept(MediaEngine::close);
            factory.close();
            System.exit(0);
        });
    }
}
