package dev.parley.signaling.protocol;

/**
 * A set of ASCII characters and the test "1 to n of these": what the field checks need, without a regular
 * expression (they run for every relayed message, and a matcher costs an allocation of its own).
 */
final class AsciiSet {
    static final AsciiSet LOWER_ALNUM = new AsciiSet().range('a', 'z').range('0', '9');
    static final AsciiSet ALNUM = new AsciiSet().range('A', 'Z').range('a', 'z').range('0', '9');
    static final AsciiSet BASE64URL = ALNUM.plus("-_");
    static final AsciiSet USER_NAME = LOWER_ALNUM.plus("._-");
    static final AsciiSet DEVICE = ALNUM.plus("._:-");
    static final AsciiSet PRINTABLE = new AsciiSet().range(' ', '~');

    private final boolean[] members = new boolean[128];

    private AsciiSet() {}

    private AsciiSet range(char from, char to) {
        for (char c = from; c <= to; c++) {
            members[c] = true;
        }
        return this;
    }

    private AsciiSet plus(String chars) {
        AsciiSet more = new AsciiSet();
        System.arraycopy(members, 0, more.members, 0, members.length);
        for (int i = 0; i < chars.length(); i++) {
            more.members[chars.charAt(i)] = true;
        }
        return more;
    }

    boolean contains(char c) {
        return c < 128 && members[c];
    }

    /** Whether {@code s} is {@code min} to {@code max} characters, every one of this set. */
    boolean spans(String s, int min, int max) {
        int n = s.length();
        if (n < min || n > max) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!contains(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
