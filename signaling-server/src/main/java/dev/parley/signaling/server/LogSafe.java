package dev.parley.signaling.server;

/**
 * Makes a string a client chose safe to put in a log line: quoted, at most {@value #MAX} characters, with every
 * character that could end the line or disguise it (CR, LF and the other control characters, Unicode line and
 * paragraph separators, bidirectional overrides) written as an escape. A client can then no longer forge log lines
 * (CWE-117) or hide text from whoever reads the log.
 */
final class LogSafe {
    static final int MAX = 128;

    private LogSafe() {}

    /** The text in double quotes, escaped and shortened; {@code null} for null. */
    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX) + 2).append('"');
        int n = Math.min(text.length(), MAX);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (unsafe(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (text.length() > MAX) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.append('"').toString();
    }

    private static boolean unsafe(char c) {
        return Character.isISOControl(c) // C0, DEL and C1 (NEL among them)
                || c == '\u2028'
                || c == '\u2029' // line and paragraph separators
                || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069') // bidi embeddings, overrides
                || c == '\u200e'
                || c == '\u200f'
                || c == '\u061c'; // bidi marks
    }
}
