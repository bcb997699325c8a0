package dev.parley.signaling.protocol;

/**
 * Offers, answers and candidates, the messages a server relays by the thousand a second, read and written by hand.
 *
 * <p>The reader takes only the one shape they have on the wire: a flat object of this type's own fields (strings,
 * an unsigned integer, booleans) with no whitespace, as this codec and {@code JSON.stringify} write them. For
 * anything else it answers null and the codec's strict Gson path decides and explains; what the reader accepts,
 * that path accepts as the same message (a test holds it to that over mutated texts). The writer writes exactly
 * what Gson writes for the same record.
 */
final class HotMessages {
    private HotMessages() {}

    /** The fields of the three records, as read; every field at most once. */
    private static final class Fields {
        String callId;
        String from;
        String to;
        String sdp;
        String sdpMid;
        String candidate;
        int sdpMLineIndex;
        boolean endOfCandidates;
        int seen; // a bit per field
    }

    private static final int CALL_ID = 1;
    private static final int FROM = 2;
    private static final int TO = 4;
    private static final int SDP = 8;
    private static final int SDP_MID = 16;
    private static final int CANDIDATE = 32;
    private static final int INDEX = 64;
    private static final int END = 128;
    private static final int SDP_MESSAGE = CALL_ID | FROM | TO | SDP;
    private static final int CANDIDATE_MESSAGE = CALL_ID | FROM | TO | SDP_MID | CANDIDATE | INDEX | END;

    /**
     * The message of type {@code type} whose fields start at {@code at} of {@code text} (the ',' or '}' after its
     * {@code "v":1}), or null for any other shape or an invalid value.
     */
    static Message read(Class<? extends Message> type, String text, int at) {
        int allowed = type == Candidate.class ? CANDIDATE_MESSAGE : SDP_MESSAGE;
        Fields f = new Fields();
        int i = at;
        int n = text.length();
        while (i < n && text.charAt(i) == ',') {
            i++;
            if (i >= n || text.charAt(i) != '"') {
                return null;
            }
            int keyEnd = text.indexOf('"', i + 1);
            if (keyEnd < 0 || keyEnd + 1 >= n || text.charAt(keyEnd + 1) != ':') {
                return null;
            }
            int field = field(text, i + 1, keyEnd);
            if ((field & allowed) == 0 || (f.seen & field) != 0) {
                return null; // another type's field, an unknown or escaped key, or a key twice
            }
            f.seen |= field;
            i = keyEnd + 2;
            if (i >= n) {
                return null;
            }
            if (field == INDEX) {
                i = readIndex(text, i, f);
            } else if (field == END) {
                i = readBoolean(text, i, f);
            } else {
                i = readString(text, i, field, f);
            }
            if (i < 0) {
                return null;
            }
        }
        if (i != n - 1 || text.charAt(i) != '}') {
            return null;
        }
        try {
            if (type == Candidate.class) {
                return new Candidate(f.callId, f.from, f.to, f.sdpMid, f.sdpMLineIndex, f.candidate, f.endOfCandidates);
            }
            return type == Offer.class
                    ? new Offer(f.callId, f.from, f.to, f.sdp)
                    : new Answer(f.callId, f.from, f.to, f.sdp);
        } catch (IllegalArgumentException e) {
            return null; // the strict path gives the reason
        }
    }

    private static int field(String text, int from, int to) {
        return switch (to - from) {
            case 2 -> text.startsWith("to", from) ? TO : 0;
            case 3 -> text.startsWith("sdp", from) ? SDP : 0;
            case 4 -> text.startsWith("from", from) ? FROM : 0;
            case 6 -> text.startsWith("callId", from) ? CALL_ID : text.startsWith("sdpMid", from) ? SDP_MID : 0;
            case 9 -> text.startsWith("candidate", from) ? CANDIDATE : 0;
            case 13 -> text.startsWith("sdpMLineIndex", from) ? INDEX : 0;
            case 15 -> text.startsWith("endOfCandidates", from) ? END : 0;
            default -> 0;
        };
    }

    /** 0, or 1 to 9 digits not starting with 0; returns the index after it, or -1. */
    private static int readIndex(String text, int i, Fields f) {
        int n = text.length();
        int start = i;
        int value = 0;
        while (i < n && i - start < 10) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            i++;
        }
        int digits = i - start;
        if (digits == 0 || digits > 9 || (digits > 1 && text.charAt(start) == '0') || !endsValue(text, i)) {
            return -1; // a sign, a fraction, an exponent, a leading zero, null: the strict path reads it
        }
        f.sdpMLineIndex = value;
        return i;
    }

    private static int readBoolean(String text, int i, Fields f) {
        if (text.startsWith("true", i) && endsValue(text, i + 4)) {
            f.endOfCandidates = true;
            return i + 4;
        }
        if (text.startsWith("false", i) && endsValue(text, i + 5)) {
            f.endOfCandidates = false;
            return i + 5;
        }
        return -1;
    }

    private static boolean endsValue(String text, int i) {
        return i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == '}');
    }

    /** A string value with JSON's escapes; returns the index after it, or -1 (no string, a raw control character). */
    private static int readString(String text, int i, int field, Fields f) {
        int n = text.length();
        if (text.charAt(i) != '"') {
            return -1;
        }
        int start = i + 1;
        int j = start;
        StringBuilder unescaped = null; // only for a string with escapes
        for (; ; ) {
            int run = j; // a run of plain characters, copied at once
            while (j < n) {
                char c = text.charAt(j);
                if (c == '"' || c == '\\' || c < 0x20) {
                    break;
                }
                j++;
            }
            if (j >= n || text.charAt(j) < 0x20) {
                return -1; // unterminated, or a raw control character
            }
            if (text.charAt(j) == '"') {
                if (unescaped != null) {
                    unescaped.append(text, run, j);
                }
                break;
            }
            if (unescaped == null) {
                unescaped = new StringBuilder(Math.min(n - start, 8192)); // an offer's SDP fits; more grows
            }
            unescaped.append(text, run, j);
            if (j + 1 >= n) {
                return -1;
            }
            char e = text.charAt(j + 1);
            switch (e) {
                case '"', '\\', '/' -> unescaped.append(e);
                case 'b' -> unescaped.append('\b');
                case 'f' -> unescaped.append('\f');
                case 'n' -> unescaped.append('\n');
                case 'r' -> unescaped.append('\r');
                case 't' -> unescaped.append('\t');
                case 'u' -> {
                    if (j + 6 > n) {
                        return -1;
                    }
                    int code = 0;
                    for (int k = j + 2; k < j + 6; k++) {
                        int d = Character.digit(text.charAt(k), 16);
                        if (d < 0 || text.charAt(k) > 'f') {
                            return -1; // Character.digit also takes non-ASCII digits
                        }
                        code = code * 16 + d;
                    }
                    unescaped.append((char) code);
                    j += 4;
                }
                default -> {
                    return -1;
                }
            }
            j += 2;
        }
        String value = unescaped == null ? text.substring(start, j) : unescaped.toString();
        if (!endsValue(text, j + 1)) {
            return -1;
        }
        switch (field) {
            case CALL_ID -> f.callId = value;
            case FROM -> f.from = value;
            case TO -> f.to = value;
            case SDP -> f.sdp = value;
            case SDP_MID -> f.sdpMid = value;
            default -> f.candidate = value;
        }
        return j + 1;
    }

    /** The JSON of {@code message} if it is one of the three, exactly as Gson writes it; null for any other. */
    static String write(Message message) {
        if (message instanceof Candidate c) {
            StringBuilder json = start("candidate", 192 + length(c.candidate()));
            string(json, "callId", c.callId());
            string(json, "from", c.from());
            string(json, "to", c.to());
            string(json, "sdpMid", c.sdpMid());
            json.append(",\"sdpMLineIndex\":").append(c.sdpMLineIndex());
            string(json, "candidate", c.candidate());
            return json.append(",\"endOfCandidates\":")
                    .append(c.endOfCandidates())
                    .append('}')
                    .toString();
        }
        String type;
        String callId;
        String from;
        String to;
        String sdp;
        if (message instanceof Offer o) {
            type = "offer";
            callId = o.callId();
            from = o.from();
            to = o.to();
            sdp = o.sdp();
        } else if (message instanceof Answer a) {
            type = "answer";
            callId = a.callId();
            from = a.from();
            to = a.to();
            sdp = a.sdp();
        } else {
            return null;
        }
        StringBuilder json = start(type, 192 + sdp.length() + sdp.length() / 8); // room for escaped line breaks
        string(json, "callId", callId);
        string(json, "from", from);
        string(json, "to", to);
        string(json, "sdp", sdp);
        return json.append('}').toString();
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static StringBuilder start(String type, int capacity) {
        return new StringBuilder(capacity)
                .append("{\"type\":\"")
                .append(type)
                .append("\",\"v\":")
                .append(MessageCodec.PROTOCOL_VERSION);
    }

    /** {@code ,"name":"value"} (nothing for a null value), escaped as Gson escapes without HTML escaping. */
    private static void string(StringBuilder json, String name, String value) {
        if (value == null) {
            return;
        }
        json.append(",\"").append(name).append("\":\"");
        int last = 0;
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029') {
                continue;
            }
            String escape = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\b' -> "\\b";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\f' -> "\\f";
                default -> String.format("\\u%04x", (int) c);
            };
            json.append(value, last, i).append(escape);
            last = i + 1;
        }
        json.append(value, last, n).append('"');
    }
}
