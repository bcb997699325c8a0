package dev.parley.signaling.server;

import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Welcome;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real server on an ephemeral loopback port and real clients; closes them all. */
final class ServerFixture implements AutoCloseable {
    final SignalingServer server;
    final SignalingClientFactory factory = SignalingClientFactory.standard();
    private final List<AutoCloseable> owned = new ArrayList<>();

    ServerFixture(ServerConfig.Builder config) throws Exception {
        server = SignalingServer.start(config.bind("127.0.0.1").port(0).build());
    }

    static ServerFixture open() throws Exception {
        return new ServerFixture(ServerConfig.builder());
    }

    URI uri() {
        return server.uri();
    }

    ClientConfig config(String user, String password) {
        return ClientConfig.of(uri(), user, password).withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    /** A connected client with a recorder attached before connecting. */
    Client client(String user) throws Exception {
        return client(config(user, null));
    }

    Client client(ClientConfig config) throws Exception {
        Client c = unconnected(config);
        c.welcome = c.signaling.connect().get(10, TimeUnit.SECONDS);
        return c;
    }

    Client unconnected(ClientConfig config) {
        SignalingClient signaling = factory.create(config);
        Recorder recorder = new Recorder();
        signaling.addListener(recorder);
        owned.add(signaling);
        return new Client(signaling, recorder);
    }

    RawClient raw() throws Exception {
        RawClient c = RawClient.connect(uri());
        owned.add(c);
        return c;
    }

    RawClient rawSignedIn(String user) throws Exception {
        RawClient c = raw();
        c.send(new Hello(user, null, null, null, "raw"));
        c.next(Welcome.class);
        return c;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : owned) {
            c.close();
        }
        server.close();
        factory.close();
    }

    static final class Client {
        final SignalingClient signaling;
        final Recorder recorder;
        Welcome welcome;

        Client(SignalingClient signaling, Recorder recorder) {
            this.signaling = signaling;
            this.recorder = recorder;
        }
    }
}
