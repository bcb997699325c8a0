package dev.parley.signaling.protocol;

import java.util.regex.Pattern;

/** The one rule for user names: 1 to 64 of {@code a-z 0-9 . _ -}, starting with a letter or digit. */
public final class UserNames {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private UserNames() {}

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Why the name is not valid, for the user; null if it is. */
    public static String invalidReason(String name) {
        return isValid(name)
                ? null
                : "a user name is 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit";
    }
}
