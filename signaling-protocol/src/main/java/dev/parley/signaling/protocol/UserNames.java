package dev.parley.signaling.protocol;

/** The one rule for user names: 1 to 64 of {@code a-z 0-9 . _ -}, starting with a letter or digit. */
public final class UserNames {
    private UserNames() {}

    public static boolean isValid(String name) {
        return name != null && AsciiSet.USER_NAME.spans(name, 1, 64) && AsciiSet.LOWER_ALNUM.contains(name.charAt(0));
    }

    /** Why the name is not valid, for the user; null if it is. */
    public static String invalidReason(String name) {
        return isValid(name)
                ? null
                : "a user name is 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit";
    }
}
