package dev.parley.media;

import dev.onvoid.webrtc.RTCCertificatePEM;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One installation's own DTLS certificate: an ECDSA P-256 key and a self-signed X.509 certificate for it, kept
 * between runs so that the peer sees the same fingerprint on every call and can remember it as verified (without
 * one, libwebrtc makes a new certificate for every peer connection). Made here with the JDK alone: the JDK signs,
 * the few DER structures of a certificate are written out below. Handed to libwebrtc as PEM through
 * {@code RTCConfiguration.certificates}.
 */
public final class DtlsIdentity {
    private static final byte[] OID_EC_SHA256 = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};
    private static final byte[] OID_COMMON_NAME = {0x55, 0x04, 0x03};
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private final String certificatePem;
    private final String privateKeyPem;
    private final X509Certificate certificate;

    private DtlsIdentity(String certificatePem, String privateKeyPem, X509Certificate certificate) {
        this.certificatePem = certificatePem;
        this.privateKeyPem = privateKeyPem;
        this.certificate = certificate;
    }

    /** A new key and certificate valid for {@code lifetime} (from a day ago, for clocks that are behind). */
    public static DtlsIdentity generate(Duration lifetime) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = g.generateKeyPair();
            Instant now = Instant.now();
            byte[] name = seq(set(seq(oid(OID_COMMON_NAME), utf8("parley"))));
            byte[] serial = new byte[16];
            new SecureRandom().nextBytes(serial);
            serial[0] &= 0x7f; // a positive integer
            byte[] algorithm = seq(oid(OID_EC_SHA256));
            byte[] tbs = seq(
                    tlv(0xa0, integer(BigInteger.TWO)), // version 3
                    integer(new BigInteger(1, serial)),
                    algorithm,
                    name,
                    seq(time(now.minus(Duration.ofDays(1))), time(now.plus(lifetime))),
                    name,
                    keys.getPublic().getEncoded()); // SubjectPublicKeyInfo, DER already
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] der = seq(tbs, algorithm, bitString(signature));
            return new DtlsIdentity(
                    pem("CERTIFICATE", der),
                    pem("PRIVATE KEY", keys.getPrivate().getEncoded()),
                    parse(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make an ECDSA P-256 key", e);
        }
    }

    /**
     * The identity kept in {@code text} (as {@link #toPem()} wrote it), checked: a certificate, a private key that
     * belongs to it. Throws {@link IllegalArgumentException} saying what is wrong.
     */
    public static DtlsIdentity fromPem(String text) {
        String cert = null;
        String key = null;
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals("CERTIFICATE") && cert == null) {
                cert = m.group();
            } else if (m.group(1).equals("PRIVATE KEY") && key == null) {
                key = m.group();
            }
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException("expected a CERTIFICATE and a PRIVATE KEY in PEM");
        }
        try {
            X509Certificate x509 = parse(body(cert));
            PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(body(key)));
            Signature s = Signature.getInstance("SHA256withECDSA"); // the key must be the certificate's
            s.initSign(privateKey);
            s.update(new byte[] {1});
            byte[] proof = s.sign();
            s.initVerify(x509.getPublicKey());
            s.update(new byte[] {1});
            if (!s.verify(proof)) {
                throw new IllegalArgumentException("the private key does not belong to the certificate");
            }
            return new DtlsIdentity(cert + "\n", key + "\n", x509);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a usable DTLS identity: " + e.getMessage(), e);
        }
    }

    /** Both parts, as kept on disk. */
    public String toPem() {
        return certificatePem + privateKeyPem;
    }

    /** When the certificate stops being valid. */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** The fingerprint as SDP carries it ("sha-256 AB:CD:…"), the one a peer sees for this installation. */
    public String fingerprint() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return "sha-256 " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For {@code RTCConfiguration.certificates}. */
    public RTCCertificatePEM toRtc() {
        return new RTCCertificatePEM(privateKeyPem, certificatePem, notAfter().toEpochMilli());
    }

    private static X509Certificate parse(byte[] der) throws CertificateException {
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static byte[] body(String pem) {
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("no PEM block");
        }
        return Base64.getMimeDecoder().decode(m.group(2));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    // ---- the DER that a certificate needs (X.690): tag, length, contents ----

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else {
            byte[] len = BigInteger.valueOf(n).toByteArray();
            int skip = len[0] == 0 ? 1 : 0;
            out.write(0x80 | (len.length - skip));
            out.write(len, skip, len.length - skip);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, parts);
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, parts);
    }

    private static byte[] oid(byte[] encoded) {
        return tlv(0x06, encoded);
    }

    private static byte[] integer(BigInteger v) {
        return tlv(0x02, v.toByteArray());
    }

    private static byte[] utf8(String s) {
        return tlv(0x0c, s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bitString(byte[] bits) {
        byte[] withUnused = new byte[bits.length + 1]; // the first octet: no unused bits
        System.arraycopy(bits, 0, withUnused, 1, bits.length);
        return tlv(0x03, withUnused);
    }

    /** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280, 4.1.2.5). */
    private static byte[] time(Instant t) {
        var utc = t.atOffset(ZoneOffset.UTC);
        if (utc.getYear() < 2050) {
            return tlv(
                    0x17,
                    DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT)
                            .format(utc)
                            .getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(
                0x18,
                DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT)
                        .format(utc)
                        .getBytes(StandardCharsets.US_ASCII));
    }
}
