package dev.parley.app;

import dev.parley.signaling.server.Authenticator;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * The short code people on the local network give as their password to sign in to a computer that hosts calls, like
 * the PIN of a Bluetooth pairing: eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), about
 * 40 bits, made anew each time hosting is turned on. Shown as {@code ABCD-EFGH}; typed in any case, with or without
 * the dash or spaces.
 */
final class JoinCode {
    static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    static final int LENGTH = 8;

    private JoinCode() {}

    /** A new code, e.g. {@code K7QM-3XWP}. */
    static String generate(SecureRandom random) {
        StringBuilder code = new StringBuilder(LENGTH + 1);
        for (int i = 0; i < LENGTH; i++) {
            if (i == LENGTH / 2) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** What was typed, as the code is compared: upper case, without dashes and white space. Null stays null. */
    static String normalize(String typed) {
        return typed == null ? null : typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    /** Signs in whoever gives {@code code} as the password (as typed: see {@link #normalize}). */
    static Authenticator authenticator(String code) {
        Authenticator exact = Authenticator.secret(normalize(code), "the join code");
        return new Authenticator() {
            @Override
            public boolean authenticate(Attempt attempt) {
                return exact.authenticate(
                        new Attempt(attempt.user(), normalize(attempt.password()), attempt.device(), attempt.remote()));
            }

            @Override
            public String describe() {
                return exact.describe();
            }
        };
    }
}
