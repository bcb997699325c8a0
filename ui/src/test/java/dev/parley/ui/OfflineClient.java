package dev.parley.ui;

import dev.parley.call.CallHistory;
import dev.parley.call.CallOptions;
import dev.parley.call.ClientService;
import dev.parley.call.ContactStore;
import dev.parley.call.SettingsStore;
import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.SignalingClientFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A client service for view-model unit tests: real stores in a directory, but no transport to sign in with and a
 * media engine that never arrives (the device probe is still under way), so nothing native or on the network runs.
 */
final class OfflineClient implements AutoCloseable {
    final SignalingClientFactory factory = new SignalingClientFactory(pool -> List.of());
    final CompletableFuture<MediaEngine> media = new CompletableFuture<>();
    final SettingsStore settings;
    final ClientService service;

    OfflineClient(Path dir) {
        settings = new SettingsStore(dir);
        service = new ClientService(
                media, factory, new ContactStore(dir), settings, new CallHistory(dir), CallOptions.defaults());
    }

    @Override
    public void close() {
        service.close();
        factory.close();
    }
}
