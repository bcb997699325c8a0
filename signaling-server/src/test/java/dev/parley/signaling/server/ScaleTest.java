package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ScaleTest {
    private static final int CLIENTS = 500;

    @Test
    void fiveHundredConcurrentClientsSignInAndEachExchangesAMessage() throws Exception {
        try (SignalingServer server = SignalingServer.start(
                        ServerConfig.builder().bind("127.0.0.1").port(0).build());
                SignalingClientFactory factory = SignalingClientFactory.standard()) {
            List<SignalingClient> clients = new ArrayList<>();
            CountDownLatch delivered = new CountDownLatch(CLIENTS);
            ConcurrentHashMap<String, String> inviteFrom = new ConcurrentHashMap<>();
            List<CompletableFuture<?>> connected = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String me = "user-" + i;
                SignalingClient c = factory.create(
                        ClientConfig.of(server.uri(), me, null).withConnectTimeout(Duration.ofSeconds(30)));
                c.addListener(new SignalingClient.Listener() {
                    @Override
                    public void onMessage(Message m) {
                        if (m instanceof Invite invite && inviteFrom.putIfAbsent(me, invite.from()) == null) {
                            delivered.countDown();
                        }
                    }
                });
                clients.add(c);
                connected.add(c.connect()); // all at once
            }
            CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertEquals(CLIENTS, server.stats().authenticated());

            // Each client invites its partner: 2k <-> 2k+1.
            for (int i = 0; i < CLIENTS; i++) {
                int partner = i ^ 1;
                clients.get(i).send(new Invite("s" + i, null, "user-" + partner, Set.of(MediaKind.AUDIO)));
            }
            assertTrue(delivered.await(30, TimeUnit.SECONDS), "delivered to only " + (CLIENTS - delivered.getCount()));
            for (int i = 0; i < CLIENTS; i++) {
                assertEquals("user-" + (i ^ 1), inviteFrom.get("user-" + i));
            }
            clients.forEach(SignalingClient::close);
        }
    }
}
