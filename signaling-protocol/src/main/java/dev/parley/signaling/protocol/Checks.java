package dev.parley.signaling.protocol;

import java.util.List;
import java.util.Objects;

/** Field validation shared by the message records; every failure is an {@link IllegalArgumentException}. */
final class Checks {
    static final int MAX_USER_NAME = 64;
    static final int MAX_TEXT = 256;
    static final int MAX_CANDIDATE = 1024;
    static final int MAX_SDP = 60 * 1024;

    private Checks() {}

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    static String user(String value, String field) {
        required(value, field);
        if (!UserNames.isValid(value)) {
            throw new IllegalArgumentException("field '" + field + "' is not a valid user name"
                    + " (lower-case letters, digits, '.', '_' or '-', at most " + MAX_USER_NAME + " characters)");
        }
        return value;
    }

    static String optionalUser(String value, String field) {
        return value == null ? null : user(value, field);
    }

    static String callId(String value) {
        required(value, "callId");
        if (!AsciiSet.BASE64URL.spans(value, 1, 64)) {
            throw new IllegalArgumentException("field 'callId' must be 1 to 64 letters, digits, '-' or '_'");
        }
        return value;
    }

    /** The fields every call message shares. */
    static void route(String callId, String from, String to) {
        callId(callId);
        optionalUser(from, "from");
        user(to, "to");
    }

    /** An optional device id: 1 to 64 of {@code A-Z a-z 0-9 . _ : -}. */
    static String optionalDevice(String value, String field) {
        // A UUID in practice; never a character that could break a log line or a file name.
        if (value != null && !AsciiSet.DEVICE.spans(value, 1, 64)) {
            throw new IllegalArgumentException(
                    "field '" + field + "' must be 1 to 64 letters, digits, '.', '_', ':' or '-'");
        }
        return value;
    }

    /** An optional client description: 1 to 128 printable ASCII characters. */
    static String optionalClient(String value, String field) {
        // Free text for logs: printable ASCII only, so no line break, escape sequence or bidi override.
        if (value != null && !AsciiSet.PRINTABLE.spans(value, 1, 128)) {
            throw new IllegalArgumentException("field '" + field
                    + "' must be 1 to 128 printable ASCII characters (no line breaks or control characters)");
        }
        return value;
    }

    /**
     * An optional name a person typed (a guest's display name): 1 to 64 characters, not blank, and none that could
     * end or disguise a line of a log or a dialog (control characters, line and paragraph separators, bidirectional
     * overrides and isolates).
     */
    static String optionalDisplayName(String value, String field) {
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.length() > 64) {
            throw new IllegalArgumentException("field '" + field + "' must be 1 to 64 characters, not all blank");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (Character.isISOControl(ch)
                    || ch == '\u2028'
                    || ch == '\u2029'
                    || (ch >= '\u202A' && ch <= '\u202E')
                    || (ch >= '\u2066' && ch <= '\u2069')
                    || ch == '\u200E'
                    || ch == '\u200F'
                    || ch == '\u061C') {
                throw new IllegalArgumentException(
                        "field '" + field + "' may not hold control, line-break or text-direction characters");
            }
        }
        return value;
    }

    /** An optional guest link token: 16 to 64 of {@code A-Z a-z 0-9 - _} (base64url). */
    static String optionalLinkToken(String value, String field) {
        if (value != null && !Link.isToken(value)) {
            throw new IllegalArgumentException("field '" + field + "' is not a link token");
        }
        return value;
    }

    static String text(String value, String field, int max) {
        if (value != null && value.length() > max) {
            throw new IllegalArgumentException("field '" + field + "' is longer than " + max + " characters");
        }
        return value;
    }

    static String requiredText(String value, String field, int max) {
        return text(required(value, field), field, max);
    }

    static <T> List<T> list(List<T> value, String field, int max) {
        required(value, field);
        if (value.size() > max) {
            throw new IllegalArgumentException("field '" + field + "' has more than " + max + " entries");
        }
        if (value.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("field '" + field + "' contains null");
        }
        return List.copyOf(value);
    }
}
