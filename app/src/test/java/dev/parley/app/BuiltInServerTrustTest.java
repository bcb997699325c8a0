package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.call.CallHistory;
import dev.parley.call.CallOptions;
import dev.parley.call.ClientService;
import dev.parley.call.ContactStore;
import dev.parley.call.SettingsStore;
import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.client.SignalingException;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.testsupport.Await;
import dev.parley.testsupport.SystemTest;
import dev.parley.ui.LocalServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may sign in to the built-in server, attacked as a stranger would: another user's process on this computer
 * (loopback, without the install secret), someone on the LAN without the join code, and someone on the LAN with the
 * code taking a name that is someone else's (the host's included). The LAN side is the test namespace's veth
 * (198.18.0.x), as in {@link FirstRunTest}.
 */
@SystemTest
@Timeout(120)
class BuiltInServerTrustTest {
    @TempDir
    Path dir;

    private MediaEngine media;
    private SignalingClientFactory factory;
    private ClientService service;
    private EmbeddedServer server;
    private final List<SignalingClient> clients = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Path config = dir.resolve("config");
        media = MediaEngine.headless();
        factory = SignalingClientFactory.standard();
        service = new ClientService(
                CompletableFuture.completedFuture(media),
                factory,
                new ContactStore(config),
                new SettingsStore(config),
                new CallHistory(config),
                CallOptions.defaults());
        server = new EmbeddedServer(config, service, factory);
    }

    @AfterEach
    void tearDown() {
        clients.forEach(SignalingClient::close);
        server.close();
        service.close();
        factory.close();
        media.close();
    }

    @Test
    void onThisComputerOnlyTheInstallSecretSignsIn() throws Exception {
        URI local = server.start().get(20, TimeUnit.SECONDS);
        assertRefused(local, "mallory", null, "mallory-device", "another local user without the install secret");
        assertRefused(local, "mallory", "guess", "mallory-device", "a guessed secret");
        assertRefused(local, server.localUser(), null, "mallory-device", "the host's name without the secret");

        // The app's own client signs in with it; the echo peer did by itself.
        service.signIn(local, server.localUser(), server.localSecret(), false).get(10, TimeUnit.SECONDS);
        Await.until(
                () -> server.stats().onlineUsers() == 2,
                Duration.ofSeconds(10),
                () -> "the host and the echo peer signed in: " + server.stats());
        assertEquals(0, server.othersSignedIn());
    }

    @Test
    void onTheNetworkOnlyTheJoinCodeSignsInAndEachNameStaysWithItsDevice() throws Exception {
        URI local = server.start().get(20, TimeUnit.SECONDS);
        service.signIn(local, server.localUser(), server.localSecret(), false).get(10, TimeUnit.SECONDS);
        LocalServer.Hosting hosting = server.hostOnNetwork(true).get(20, TimeUnit.SECONDS);
        URI lan = URI.create(hosting.addresses().stream()
                .filter(a -> a.contains("//198.18.0."))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no LAN address in " + hosting)));
        String code = hosting.joinCode();
        assertNotNull(code);

        assertRefused(lan, "stranger", null, "stranger-device", "a stranger on the LAN without the join code");
        assertRefused(lan, "stranger", "ABCD-EFGH", "stranger-device", "a wrong join code");
        assertRefused(
                lan,
                "stranger",
                server.localSecret(),
                "stranger-device",
                "the install secret from the network (it is for this computer only)");
        assertRefused(local, "stranger", code, "stranger-device", "the join code over loopback");

        signIn(lan, "neighbour", code, "device-a");
        signIn(lan, "cousin", code.toLowerCase(Locale.ROOT).replace("-", " "), "device-c"); // as typed
        assertRefused(lan, "neighbour", code, "device-b", "a second device under a name that is taken");
        assertRefused(lan, server.localUser(), code, "device-b", "the host's own name from the network");
        assertRefused(lan, EchoPeer.USER, code, "device-b", "the echo test's name from the network");
        Await.until(
                () -> server.othersSignedIn() == 2,
                Duration.ofSeconds(10),
                () -> "neighbour and cousin counted: " + server.othersSignedIn() + ", " + server.stats());

        // Hosting again makes a new code: the old one no longer signs anyone in.
        assertEquals(null, server.hostOnNetwork(false).get(20, TimeUnit.SECONDS));
        String next = server.hostOnNetwork(true).get(20, TimeUnit.SECONDS).joinCode();
        assertNotEquals(code, next);
        assertRefused(lan, "latecomer", code, "device-l", "last time's join code");
        signIn(lan, "latecomer", next, "device-l");
        Await.until(() -> service.signedIn(), Duration.ofSeconds(15), "the host's own client back after the restarts");
    }

    private SignalingClient signIn(URI server, String user, String password, String device) throws Exception {
        SignalingClient c =
                factory.create(ClientConfig.of(server, user, password).withDevice(device));
        clients.add(c);
        assertEquals(user, c.connect().get(10, TimeUnit.SECONDS).user());
        return c;
    }

    private void assertRefused(URI server, String user, String password, String device, String who) throws Exception {
        try (SignalingClient c = factory.create(
                ClientConfig.of(server, user, password).withDevice(device).withConnectTimeout(Duration.ofSeconds(5)))) {
            c.connect().get(10, TimeUnit.SECONDS);
            fail(who + " signed in as " + user + " at " + server);
        } catch (ExecutionException refused) {
            SignalingException e = assertInstanceOf(SignalingException.class, refused.getCause(), who);
            assertEquals(ErrorCode.AUTH_FAILED, e.code(), who);
        }
    }
}
