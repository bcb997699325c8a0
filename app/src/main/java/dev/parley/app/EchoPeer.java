package dev.parley.app;

import dev.parley.call.CallEngine;
import dev.parley.call.CallOptions;
import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import java.net.URI;

/**
 * The "Echo test" contact of a first run: a headless peer in the app's own process, signed in to the built-in
 * server as {@value #USER} with the install secret, that answers every call and sends the caller its own camera and
 * microphone back.
 * It has a media engine of its own (libwebrtc's audio state is per factory; see decision 0003).
 */
final class EchoPeer implements AutoCloseable {
    static final String USER = "echo";

    private final MediaEngine media = MediaEngine.headless();
    private final SignalingClient client;
    private final CallEngine engine;

    /**
     * @param secret the install secret it signs in with (the built-in server refuses local sign-ins without it)
     * @param device its device id, the same at every start (the server keeps {@value #USER} for that device)
     */
    EchoPeer(URI server, SignalingClientFactory factory, String secret, String device) {
        client = factory.create(ClientConfig.of(server, USER, secret).withDevice(device));
        engine = new CallEngine(media, client, CallOptions.defaults().withEcho(true), session -> session.accept());
        client.connect(); // keeps trying in the background until the server answers
    }

    /** Signed in to the server now. */
    boolean signedIn() {
        return client.state() == ConnectionState.CONNECTED;
    }

    @Override
    public void close() {
        engine.close();
        client.close();
        media.close();
    }
}
