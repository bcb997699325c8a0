package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.Welcome;
import dev.parley.testsupport.Await;
import dev.parley.testsupport.ChildProcess;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class TlsTest {
    @TempDir
    Path dir;

    private Path keystore;

    @BeforeEach
    void makeASelfSignedKeystore() {
        keystore = dir.resolve("server.p12");
        try (ChildProcess keytool = ChildProcess.start(
                dir,
                "keytool",
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "parley",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit"))) {
            keytool.assertExit(0, Duration.ofSeconds(30));
        }
    }

    private SSLContext trustingTheServer() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trust.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private SignalingServer tlsServer() throws Exception {
        return SignalingServer.start(ServerConfig.builder()
                .bind("127.0.0.1")
                .port(0)
                .tls(keystore, "changeit")
                .build());
    }

    @Test
    void wssWorksWithATrustedCertificate() throws Exception {
        try (SignalingServer server = tlsServer();
                SignalingClientFactory factory = SignalingClientFactory.standard()) {
            assertEquals("wss", server.uri().getScheme());
            SignalingClient trusting =
                    factory.create(ClientConfig.of(server.uri(), "alice", null).withSslContext(trustingTheServer()));
            Welcome w = trusting.connect().get(15, TimeUnit.SECONDS);
            assertEquals("alice", w.user());
            trusting.close();
        }
    }

    @Test
    void theJvmsDefaultTrustRefusesTheSelfSignedCertificateInTheHandshake() throws Exception {
        try (SignalingServer server = tlsServer()) {
            URI uri = server.uri();
            // The same handshake succeeds with the server's certificate trusted: the refusal below is about trust.
            try (SSLSocket trusted =
                    (SSLSocket) trustingTheServer().getSocketFactory().createSocket(uri.getHost(), uri.getPort())) {
                trusted.startHandshake();
                assertEquals(
                        "CN=localhost", trusted.getSession().getPeerPrincipal().getName());
            }
            try (SSLSocket untrusted =
                    (SSLSocket) SSLSocketFactory.getDefault().createSocket(uri.getHost(), uri.getPort())) {
                SSLHandshakeException e = assertThrows(SSLHandshakeException.class, untrusted::startHandshake);
                assertTrue(causedBy(e, CertPathBuilderException.class), () -> "not a certificate path failure: " + e);
            }
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aClientWithoutTrustKeepsRetryingAndSaysWhy() throws Exception {
        try (SignalingServer server = tlsServer();
                SignalingClientFactory factory = SignalingClientFactory.standard()) {
            SignalingClient untrusting = factory.create(ClientConfig.of(server.uri(), "eve", null)
                    .withBackoff(Duration.ofMillis(100), Duration.ofMillis(200)));
            List<String> details = new CopyOnWriteArrayList<>();
            untrusting.addListener(new SignalingClient.Listener() {
                @Override
                public void onMessage(Message message) {}

                @Override
                public void onStateChanged(ConnectionState state, String detail) {
                    details.add(state + " " + detail);
                }
            });
            var welcome = untrusting.connect();
            // connect() announces CONNECTING; each failed attempt announces it again with the reason.
            Await.until(() -> details.size() >= 3, Duration.ofSeconds(20), () -> "state events: " + details);
            assertEquals("CONNECTING connecting to " + server.uri(), details.get(0));
            String failed = Pattern.quote(
                            "CONNECTING cannot reach " + server.uri() + ": SSL handshake has failed; retrying in ")
                    + "\\d+ ms";
            for (String detail : details.subList(1, 3)) {
                assertTrue(detail.matches(failed), () -> detail + " should match " + failed);
            }
            assertFalse(welcome.isDone(), "the first connect should still be trying");
            assertEquals(ConnectionState.CONNECTING, untrusting.state());
            untrusting.close();
            assertThrows(ExecutionException.class, () -> welcome.get(1, TimeUnit.SECONDS));
        }
    }
}
