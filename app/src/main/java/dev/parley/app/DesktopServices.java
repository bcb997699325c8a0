package dev.parley.app;

import dev.parley.call.CallHistory;
import dev.parley.call.CallOptions;
import dev.parley.call.ClientService;
import dev.parley.call.ContactStore;
import dev.parley.call.SettingsStore;
import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.SignalingClientFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What the desktop app runs on, built with constructors in one place: the stores in a config directory, the media
 * engine probing devices on a thread of its own (so the window shows at once), the signaling factory and the
 * client service. Closed in reverse order.
 */
final class DesktopServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DesktopServices.class);

    final CompletableFuture<MediaEngine> media = new CompletableFuture<>();
    final SignalingClientFactory factory = SignalingClientFactory.standard();
    final ClientService service;

    DesktopServices(Path config) {
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
        // Real devices; a machine with neither camera nor sound system sends a test pattern (ClientService).
        service = new ClientService(media, factory, new ContactStore(config), new SettingsStore(config),
                new CallHistory(config), CallOptions.defaults().withFakeMedia(false));
        builtIn = new EmbeddedServer(service, factory);
    }

    /** The built-in server with its echo peer; started when used (no server configured, or the user picks it). */
    final EmbeddedServer builtIn;

    @Override
    public void close() {
        service.close();
        builtIn.close();
        media.thenAccept(MediaEngine::close);
        factory.close();
    }
}
