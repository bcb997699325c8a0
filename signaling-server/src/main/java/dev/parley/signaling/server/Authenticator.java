package dev.parley.signaling.server;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Decides whether a sign-in may go ahead: who says they are whom, with what, from which device and address.
 * Implementations must be thread-safe; they may be slow (password hashing runs off the I/O threads).
 */
public interface Authenticator {

    /**
     * A sign-in to decide.
     *
     * @param user     the name asked for (a valid user name)
     * @param password the password, a join code or a local secret, or null
     * @param device   the installation's device id, or null if the client sent none
     * @param remote   where the connection comes from, or null if unknown
     */
    record Attempt(String user, String password, String device, InetAddress remote) {
        /** From this machine (a local client, or another local user's process). */
        public boolean fromLoopback() {
            return remote != null && remote.isLoopbackAddress();
        }
    }

    /** True if this attempt may sign in. */
    boolean authenticate(Attempt attempt);

    /** A short description for the start-up log, e.g. "open mode". */
    String describe();

    /** Open mode: any valid user name, no password. Only for tests and a trusted network (see docs/SECURITY.md). */
    static Authenticator open() {
        return new Authenticator() {
            @Override
            public boolean authenticate(Attempt attempt) {
                return true;
            }

            @Override
            public String describe() {
                return "open mode (any name, no password)";
            }
        };
    }

    /** Signs in whoever gives this secret (a join code, a per-install secret), under any name. */
    static Authenticator secret(String secret, String description) {
        byte[] expected = secret.getBytes(StandardCharsets.UTF_8);
        return new Authenticator() {
            @Override
            public boolean authenticate(Attempt attempt) {
                return attempt.password() != null
                        && MessageDigest.isEqual(expected, attempt.password().getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /** This machine's connections go to {@code local}, every other one to {@code network}. */
    static Authenticator byOrigin(Authenticator local, Authenticator network) {
        return new Authenticator() {
            @Override
            public boolean authenticate(Attempt attempt) {
                return attempt.fromLoopback() ? local.authenticate(attempt) : network.authenticate(attempt);
            }

            @Override
            public String describe() {
                return "this machine: " + local.describe() + "; the network: " + network.describe();
            }
        };
    }

    /**
     * Names belong to the device that first signed in with them ({@link NameClaims}): another device is refused
     * the name even when {@code inner} would let it in. Makes open-style sign-in safe from a stranger taking
     * someone's name.
     */
    default Authenticator withNameClaims(NameClaims claims) {
        Authenticator inner = this;
        return new Authenticator() {
            @Override
            public boolean authenticate(Attempt attempt) {
                return inner.authenticate(attempt) && claims.claim(attempt.user(), attempt.device());
            }

            @Override
            public String describe() {
                return inner.describe() + ", each name kept for the device that first used it";
            }
        };
    }
}
