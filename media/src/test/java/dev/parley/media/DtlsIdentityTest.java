package dev.parley.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.parley.testsupport.SystemTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DtlsIdentityTest {
    @Test
    void aNewIdentityIsKeptAndReadBackWithTheSameFingerprint() {
        DtlsIdentity made = DtlsIdentity.generate(Duration.ofDays(3650));
        DtlsIdentity read = DtlsIdentity.fromPem(made.toPem());
        assertEquals(made.fingerprint(), read.fingerprint());
        assertTrue(made.fingerprint().matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"), made.fingerprint());
        Duration left = Duration.between(Instant.now(), read.notAfter());
        assertTrue(left.toDays() >= 3649 && left.toDays() <= 3650, "valid for " + left);
        assertNotEquals(
                made.fingerprint(), DtlsIdentity.generate(Duration.ofDays(1)).fingerprint());
    }

    @Test
    void aBrokenOrMismatchedFileIsRefusedSayingWhy() {
        DtlsIdentity a = DtlsIdentity.generate(Duration.ofDays(1));
        DtlsIdentity b = DtlsIdentity.generate(Duration.ofDays(1));
        String aCert = a.toPem().substring(0, a.toPem().indexOf("-----BEGIN PRIVATE KEY"));
        String bKey = b.toPem().substring(b.toPem().indexOf("-----BEGIN PRIVATE KEY"));
        IllegalArgumentException mismatch =
                assertThrows(IllegalArgumentException.class, () -> DtlsIdentity.fromPem(aCert + bKey));
        assertTrue(mismatch.getMessage().contains("does not belong"), mismatch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DtlsIdentity.fromPem(aCert));
        assertThrows(IllegalArgumentException.class, () -> DtlsIdentity.fromPem("garbage"));
        String corrupt = a.toPem().replace("-----BEGIN CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\nAAAA");
        assertThrows(IllegalArgumentException.class, () -> DtlsIdentity.fromPem(corrupt));
    }

    /** libwebrtc takes our certificate through RTCConfiguration: the offer carries its fingerprint. */
    @Test
    @SystemTest
    @Timeout(30)
    void aPeerConnectionGivenTheIdentityOffersItsFingerprint() throws Exception {
        DtlsIdentity identity = DtlsIdentity.generate(Duration.ofDays(3650));
        try (MediaEngine engine = MediaEngine.headless()) {
            RTCConfiguration config = new RTCConfiguration();
            config.certificates = List.of(identity.toRtc());
            RTCPeerConnection pc = engine.factory().createPeerConnection(config, candidate -> {});
            try {
                pc.createDataChannel("x", new RTCDataChannelInit());
                CompletableFuture<String> offer = new CompletableFuture<>();
                pc.createOffer(new RTCOfferOptions(), new CreateSessionDescriptionObserver() {
                    @Override
                    public void onSuccess(RTCSessionDescription d) {
                        offer.complete(d.sdp);
                    }

                    @Override
                    public void onFailure(String error) {
                        offer.completeExceptionally(new AssertionError(error));
                    }
                });
                String sdp = offer.get(10, TimeUnit.SECONDS);
                assertTrue(sdp.contains("a=fingerprint:" + identity.fingerprint()), sdp);
            } finally {
                pc.close();
            }
        }
    }
}
