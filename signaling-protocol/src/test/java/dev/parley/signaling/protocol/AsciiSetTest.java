package dev.parley.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The field checks' character sets say what the regular expressions they replaced said, string for string. */
class AsciiSetTest {
    private static final String ALPHABET = "aAzZ09._:-~ \u007f\u0080\t\n\u00e9\u0430/\\\"'@+#\u2028\u0000";

    private static String random(Random r) {
        int n = r.nextInt(20) == 0 ? 60 + r.nextInt(75) : r.nextInt(12); // around the length limits too
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(r.nextInt(3) == 0 ? ALPHABET.charAt(r.nextInt(ALPHABET.length())) : (char) ('a' + r.nextInt(26)));
        }
        return s.toString();
    }

    @Test
    void everySetAgreesWithItsRegularExpression() {
        Random r = new Random(16);
        Pattern userName = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
        Pattern callId = Pattern.compile("[A-Za-z0-9_-]{1,64}");
        Pattern device = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
        Pattern client = Pattern.compile("[\\x20-\\x7E]{1,128}");
        Pattern link = Pattern.compile("[A-Za-z0-9_-]{16,64}");
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            String s = random(r);
            boolean user = UserNames.isValid(s);
            assertEquals(userName.matcher(s).matches(), user, s);
            assertEquals(callId.matcher(s).matches(), AsciiSet.BASE64URL.spans(s, 1, 64), s);
            assertEquals(device.matcher(s).matches(), AsciiSet.DEVICE.spans(s, 1, 64), s);
            assertEquals(client.matcher(s).matches(), AsciiSet.PRINTABLE.spans(s, 1, 128), s);
            assertEquals(link.matcher(s).matches(), AsciiSet.BASE64URL.spans(s, 16, 64), s);
            accepted += user ? 1 : 0;
        }
        assertEquals(true, accepted > 10_000, "the strings should often be valid names too: " + accepted);
    }
}
