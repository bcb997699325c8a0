package dev.parley.signaling.server;

import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.protocol.Welcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(60)
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void wssWorksWithATrustedCertificateAndIsRefusedWithoutTrust() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "parley", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertEquals(0, keytool.waitFor());

        try (SignalingServer server = SignalingServer.start(ServerConfig.builder().bind("127.0.0.1").port(0)
                .tls(keystore, "changeit").build());
             SignalingClientFactory factory = SignalingClientFactory.standard()) {
            assertEquals("wss", server.uri().getScheme());

            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                trust.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);

            SignalingClient trusting = factory.create(ClientConfig.of(server.uri(), "alice", null).withSslContext(ssl));
            Welcome w = trusting.connect().get(15, TimeUnit.SECONDS);
            assertEquals("alice", w.user());
            trusting.close();

            // With the JVM's default trust the self-signed certificate is refused: the client keeps retrying.
            SignalingClient untrusting = factory.create(ClientConfig.of(server.uri(), "eve", null)
                    .withBackoff(Duration.ofMillis(100), Duration.ofMillis(200)));
            assertThrows(java.util.concurrent.TimeoutException.class,
                    () -> untrusting.connect().get(2, TimeUnit.SECONDS));
            untrusting.close();
            assertThrows(ExecutionException.class, () -> untrusting.connect().get(1, TimeUnit.SECONDS));
        }
    }
}
