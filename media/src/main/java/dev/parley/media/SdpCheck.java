package dev.parley.media;

/**
 * A first look at a session description from the network before libwebrtc gets it: webrtc-java 0.14.0 answers
 * neither success nor failure when asked to apply text it cannot parse, so a call would sit in "connecting" until
 * its timer. This catches what is plainly not a description (RFC 8866 §5: {@code v=0} first, then the
 * {@code o=}, {@code s=} and {@code t=} lines, every line {@code <letter>=<value>}) and at least one media
 * section; what passes can still be refused by libwebrtc, which then says so.
 */
public final class SdpCheck {
    private static final int MAX_LINE = 4096;

    private SdpCheck() {}

    /** Null if {@code sdp} looks like a session description, else what is wrong with it. */
    public static String problem(String sdp) {
        if (sdp == null || sdp.isBlank()) {
            return "empty";
        }
        String[] lines = sdp.split("\r?\n");
        if (!lines[0].equals("v=0")) {
            return "it does not start with v=0";
        }
        boolean origin = false;
        boolean name = false;
        boolean timing = false;
        int media = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                continue; // the final CRLF
            }
            if (line.length() < 2
                    || line.charAt(1) != '='
                    || line.charAt(0) < 'a'
                    || line.charAt(0) > 'z'
                    || line.length() > MAX_LINE) {
                return "line " + (i + 1) + " is not of the form <letter>=<value>";
            }
            switch (line.charAt(0)) {
                case 'o' -> origin = true;
                case 's' -> name = true;
                case 't' -> timing = true;
                case 'm' -> media++;
                default -> {}
            }
        }
        if (!origin || !name || !timing) {
            return "an o=, s= or t= line is missing";
        }
        return media == 0 ? "it has no media section" : null;
    }
}
