package dev.parley.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written reader and writer of offers, answers and candidates against Gson's strict path: the writer
 * writes Gson's text to the character; whatever the reader accepts, Gson reads as the same message; and the
 * texts real clients send do take the hand-written path.
 */
class HotMessagesTest {
    private static final MessageCodec CODEC = new MessageCodec();
    /** Characters that test the escaping: quotes, backslashes, controls, separators, non-ASCII, a surrogate pair. */
    private static final String TRICKY = "\"\\/\b\f\n\r\t\u0000\u001f\u007f\u2028\u2029é\u0430😀{}[],: ";

    private static String text(Random r, int max) {
        int n = r.nextInt(max + 1);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(r.nextInt(4) == 0 ? TRICKY.charAt(r.nextInt(TRICKY.length())) : (char) ('a' + r.nextInt(26)));
        }
        return s.toString();
    }

    private static Message message(Random r) {
        String callId = "c" + Integer.toHexString(r.nextInt());
        String from = r.nextBoolean() ? null : "alice-" + r.nextInt(100);
        String to = "bob." + r.nextInt(100);
        return switch (r.nextInt(4)) {
            case 0 ->
                new Offer(callId, from, to, "v=0\r\no=- " + r.nextLong() + " 2 IN IP4 127.0.0.1\r\n" + text(r, 300));
            case 1 -> new Answer(callId, from, to, text(r, 200) + "\r\n");
            case 2 -> Candidate.end(callId, to).withFrom(from);
            default ->
                new Candidate(
                        callId,
                        from,
                        to,
                        r.nextInt(5) == 0 ? null : text(r, 6),
                        r.nextInt(1025),
                        "candidate:" + r.nextInt(1 << 30) + " 1 udp 2122260223 198.18.0.1 " + text(r, 40),
                        r.nextInt(10) == 0);
        };
    }

    @Test
    void theWriterWritesWhatGsonWrites() {
        Random r = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            Message m = message(r);
            assertEquals(CODEC.encodeWithGson(m), HotMessages.write(m), m.toString());
        }
        assertNull(HotMessages.write(new Ping(5)), "only the three hot types are written by hand");
    }

    @Test
    void whatClientsSendTakesTheHandWrittenPath() {
        Random r = new Random(2);
        for (int i = 0; i < 20_000; i++) {
            Message m = message(r);
            String canonical = CODEC.encode(m);
            assertEquals(m, read(canonical), canonical);
            String browser = shuffled(r, canonical); // JSON.stringify keeps the order the page built
            assertEquals(m, read(browser), browser);
        }
    }

    @Test
    void whatTheReaderAcceptsGsonReadsAsTheSameMessage() throws Exception {
        Random r = new Random(3);
        int hot = 0;
        int refused = 0;
        for (int i = 0; i < 100_000; i++) {
            String text = mutated(r, shuffled(r, CODEC.encode(message(r))));
            Class<? extends Message> type = typeOf(text);
            if (type == null) {
                continue;
            }
            Message fast = read(text);
            Message gson;
            try {
                gson = CODEC.bindWithGson(text, type);
            } catch (Exception e) {
                assertNull(fast, () -> "accepted what Gson refuses (" + e.getMessage() + "): " + text);
                refused++;
                continue;
            }
            if (fast != null) {
                hot++;
                assertEquals(gson, fast, text);
                assertEquals(
                        fast,
                        assertInstanceOf(DecodeResult.Decoded.class, CODEC.decode(text))
                                .message());
            }
        }
        assertTrue(
                hot > 10_000 && refused > 10_000,
                "the mutations should often stay valid and often not: " + hot + " read by hand, " + refused
                        + " refused");
    }

    @Test
    void theReaderLeavesEveryOtherShapeToTheStrictPath() {
        String ok = "{\"type\":\"candidate\",\"v\":1,\"callId\":\"c1\",\"to\":\"bob\",\"sdpMid\":\"0\","
                + "\"sdpMLineIndex\":0,\"candidate\":\"candidate:1 1 udp 1 198.18.0.1 5000 typ host\"}";
        assertTrue(read(ok) instanceof Candidate);
        for (String other : List.of(
                ok.replace(",\"to\"", ", \"to\""), // whitespace
                ok.replace("\"sdpMLineIndex\":0", "\"sdpMLineIndex\":0.0"),
                ok.replace("\"sdpMLineIndex\":0", "\"sdpMLineIndex\":-0"),
                ok.replace("\"sdpMLineIndex\":0", "\"sdpMLineIndex\":null"),
                ok.replace("\"sdpMLineIndex\":0", "\"sdpMLineIndex\":\"0\""),
                ok.replace("\"to\":\"bob\"", "\"to\":\"bob\",\"to\":\"eve\""), // a key twice
                ok.replace("\"to\":\"bob\"", "\"to\":\"bob\",\"extra\":1"), // a field it does not know
                ok.replace("\"to\"", "\"t\\u006f\""), // an escaped key
                ok.replace("c1", "c1\\x"), // a bad escape
                ok.replace("host", "host\u0001"), // a raw control character
                ok.replace("bob", "Bob"), // invalid: the record refuses it
                ok + " ",
                ok.substring(0, ok.length() - 1))) {
            assertNull(read(other), other);
        }
    }

    /** The hand-written reading of a text with the canonical prefix, as the codec calls it. */
    private static Message read(String text) {
        Class<? extends Message> type = typeOf(text);
        return type == null ? null : HotMessages.read(type, text, prefix(type).length());
    }

    private static Class<? extends Message> typeOf(String text) {
        for (Class<? extends Message> type : List.of(Offer.class, Answer.class, Candidate.class)) {
            if (text.startsWith(prefix(type))) {
                return type;
            }
        }
        return null;
    }

    private static String prefix(Class<? extends Message> type) {
        return "{\"type\":\"" + MessageCodec.typeOf(type) + "\",\"v\":1";
    }

    /** The same fields in another order (a field starts at an unescaped quote, a key name, another quote and ':'). */
    private static String shuffled(Random r, String canonical) {
        Class<? extends Message> type = typeOf(canonical);
        String head = prefix(type);
        String body = canonical.substring(head.length() + 1, canonical.length() - 1);
        List<String> fields = new ArrayList<>(
                List.of(body.split(",(?=\"(callId|from|to|sdp|sdpMid|sdpMLineIndex|candidate|endOfCandidates)\":)")));
        Collections.shuffle(fields, r);
        return head + "," + String.join(",", fields) + "}";
    }

    private static final String INSERTS = "\"\\,:{}[] 0-.eu1n\u0001\u00e9";

    private static String mutated(Random r, String text) {
        StringBuilder s = new StringBuilder(text);
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits && s.length() > 30; e++) {
            int at = 30 + r.nextInt(s.length() - 30); // past the prefix, which the codec checks before
            switch (r.nextInt(5)) {
                case 0 -> s.deleteCharAt(at);
                case 1 -> s.insert(at, INSERTS.charAt(r.nextInt(INSERTS.length())));
                case 2 -> s.setCharAt(at, INSERTS.charAt(r.nextInt(INSERTS.length())));
                case 3 -> s.replace(at, at + 1, String.format("\\u%04X", (int) s.charAt(at))); // escaped, or broken
                default -> {
                    int end = Math.min(s.length(), at + 1 + r.nextInt(20));
                    s.insert(end, s.substring(at, end)); // a piece twice
                }
            }
        }
        return s.toString();
    }
}
