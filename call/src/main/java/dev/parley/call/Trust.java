package dev.parley.call;

import dev.parley.media.DtlsIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who this installation is and whom its user has verified. The identity is a DTLS certificate kept in
 * {@code identity.pem} (readable by the owner only), so that peers see the same fingerprint on every call; the
 * verified people are in {@code verified.json}: for each user name, the fingerprints the user confirmed by
 * comparing a call's security code. A later call whose peer presents one of them is verified without comparing
 * again (DTLS proves the peer holds that certificate's key); one that presents another while some are known is a
 * change the user is warned about, as Signal warns about a changed safety number. Thread-safe.
 */
public final class Trust {
    private static final Logger log = LoggerFactory.getLogger(Trust.class);
    /** How long a new identity is valid; it is replaced (peers see a change) within its last 30 days. */
    static final Duration LIFETIME = Duration.ofDays(3650);

    private static final Pattern KEY = Pattern.compile("sha-\\d+ [0-9A-F:]{2,200}(\\nsha-\\d+ [0-9A-F:]{2,200}){0,3}");
    private static final int MAX_KEYS_PER_USER = 16;

    /** How a call's peer stands with the user. */
    public enum Standing {
        /** Never verified: compare the code. */
        UNKNOWN,
        /** The peer presents a key the user verified before. */
        VERIFIED,
        /** The user verified this person before, but the peer presents another key: compare the code again. */
        CHANGED
    }

    private record Document(int version, Map<String, List<Entry>> verified) {}

    private record Entry(String key, long verifiedAtMillis) {}

    private final Path identityFile; // null: no identity of our own
    private final JsonFile<Document> file; // null: kept in memory only
    private final Map<String, List<Entry>> verified = new HashMap<>();
    private DtlsIdentity identity; // read or made on first use (not on the way to the first window)
    private boolean identityLoaded;

    private Trust(Path identityFile, JsonFile<Document> file) {
        this.identityFile = identityFile;
        this.file = file;
        if (file != null) {
            Document doc = file.load(() -> new Document(1, Map.of()));
            Objects.requireNonNullElse(doc.verified(), Map.<String, List<Entry>>of())
                    .forEach((user, entries) -> {
                        List<Entry> valid = new ArrayList<>();
                        for (Entry e : Objects.requireNonNullElse(entries, List.<Entry>of())) {
                            if (e != null
                                    && e.key() != null
                                    && KEY.matcher(e.key()).matches()) {
                                valid.add(e);
                            }
                        }
                        if (user != null && !valid.isEmpty()) {
                            verified.put(user, valid);
                        }
                    });
        }
    }

    /**
     * The trust of the installation whose settings are in {@code directory}: its identity (read, or made and kept,
     * on first use; renewed near its end) and its verified people. A file that cannot be read is moved aside, not
     * overwritten.
     */
    public static Trust load(Path directory) {
        return new Trust(
                directory.resolve("identity.pem"), new JsonFile<>(directory.resolve("verified.json"), Document.class));
    }

    /** No identity of its own (libwebrtc makes one per call) and nothing remembered: headless calls, tests. */
    public static Trust inMemory() {
        return new Trust(null, null);
    }

    /**
     * This installation's certificate, or null (a new one per call: in memory, or when it cannot be kept). Read or
     * made on the first call, which may take a moment (a key is generated): not on the FX thread.
     */
    public synchronized DtlsIdentity identity() {
        if (!identityLoaded) {
            identityLoaded = true;
            if (identityFile != null) {
                try {
                    identity = identity(identityFile);
                } catch (IOException e) {
                    log.warn(
                            "Cannot keep a DTLS identity in {} ({}): each call gets a new one",
                            identityFile,
                            e.toString());
                }
            }
        }
        return identity;
    }

    /** How the peer {@code user}, presenting {@code peerKey} (SecurityCode#peerKey), stands with the user. */
    public synchronized Standing standing(String user, String peerKey) {
        List<Entry> keys = verified.get(user);
        if (keys == null || peerKey == null) {
            return Standing.UNKNOWN;
        }
        return keys.stream().anyMatch(e -> e.key().equals(peerKey)) ? Standing.VERIFIED : Standing.CHANGED;
    }

    /**
     * The user compared the code with {@code user} and it matched: their key is verified from now on (added to
     * the ones verified before: one person may call from several devices). Saved at once.
     */
    public synchronized void markVerified(String user, String peerKey) throws IOException {
        if (peerKey == null || !KEY.matcher(peerKey).matches()) {
            throw new IllegalArgumentException("not a key to verify: " + peerKey);
        }
        List<Entry> before = verified.getOrDefault(user, List.of());
        List<Entry> after = new ArrayList<>(before);
        after.removeIf(e -> e.key().equals(peerKey));
        after.add(new Entry(peerKey, System.currentTimeMillis()));
        while (after.size() > MAX_KEYS_PER_USER) {
            after.remove(0);
        }
        verified.put(user, after);
        try {
            if (file != null) {
                file.save(new Document(1, Map.copyOf(verified)));
            }
        } catch (IOException e) {
            if (before.isEmpty()) {
                verified.remove(user);
            } else {
                verified.put(user, before);
            }
            throw e;
        }
    }

    private static DtlsIdentity identity(Path file) throws IOException {
        if (Files.exists(file)) {
            try {
                DtlsIdentity kept = DtlsIdentity.fromPem(Files.readString(file, StandardCharsets.UTF_8));
                if (kept.notAfter().isAfter(Instant.now().plus(Duration.ofDays(30)))) {
                    return kept;
                }
                log.info("The DTLS identity in {} ends on {}; making a new one", file, kept.notAfter());
            } catch (IOException | IllegalArgumentException e) {
                JsonFile.moveAside(file, e.getMessage()); // and a new identity is made below
            }
        }
        DtlsIdentity made = DtlsIdentity.generate(LIFETIME);
        JsonFile.writeAtomically(file, made.toPem());
        return made;
    }
}
