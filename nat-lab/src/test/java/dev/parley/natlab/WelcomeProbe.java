package dev.parley.natlab;

import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.protocol.IceServer;
import dev.parley.signaling.protocol.Welcome;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Signs in to a server as a client would (run inside a lab namespace) and prints the STUN/TURN servers its
 * welcome hands out, one per line: {@code URL USERNAME CREDENTIAL}. The credentials a test then uses are the
 * running server's own, not ones the test computed.
 */
public final class WelcomeProbe {
    private WelcomeProbe() {}

    public static void main(String[] args) throws Exception {
        try (SignalingClientFactory factory = SignalingClientFactory.standard();
                SignalingClient client = factory.create(ClientConfig.of(URI.create(args[0]), args[1], null))) {
            Welcome welcome = client.connect().get(15, TimeUnit.SECONDS);
            for (IceServer server : welcome.iceServers()) {
                for (String url : server.urls()) {
                    System.out.println(url + " " + server.username() + " " + server.credential());
                }
            }
        }
    }
}
