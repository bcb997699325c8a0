package dev.parley.call;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.Answer;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Offer;
import dev.parley.signaling.protocol.Ringing;
import dev.parley.signaling.protocol.UserNames;
import dev.parley.signaling.protocol.Verify;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A call set up with no server: what one side would have sent over signaling — an invite with its offer and
 * candidates, or an accept with its answer and candidates — as one line of text the people pass on themselves
 * (chat, mail, a QR code). {@code parley-1.} then the deflated JSON in URL-safe base64.
 *
 * <p>A code is hostile input like any message: its size is bounded before and after inflating, every message in
 * it passes the protocol's own checks, the kinds and order of the messages are fixed, and one code speaks of one
 * call. A damaged paste, another version's code or an expired one each get a message a person can act on.
 */
public record InviteCode(Kind kind, String from, Instant expires, List<CallMessage> messages) {
    /** The version this Parley writes and reads. */
    static final int VERSION = 1;

    static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
    private static final String PREFIX = "parley-";
    private static final Pattern FORM = Pattern.compile("parley-(\\d{1,9})\\.([A-Za-z0-9_-]+)");
    private static final int MAX_CODE_CHARS = 64 * 1024;
    private static final int MAX_JSON_BYTES = 256 * 1024;
    /** Candidates a code may hold. */
    static final int MAX_CANDIDATES = 64;

    private static final MessageCodec CODEC = new MessageCodec();

    /** Which half of the exchange. */
    public enum Kind {
        /** From the caller: invite, offer, candidates. */
        INVITE,
        /** From the callee: accept, answer, candidates. */
        ANSWER
    }

    /** The code is not one this Parley can use; the message says why, for a person (the UI words it by reason). */
    public static final class BadCode extends Exception {
        /** Why, for a user interface's own words. */
        public enum Reason {
            NOT_A_CODE,
            DAMAGED,
            OTHER_VERSION,
            EXPIRED,
            /** A good code, but not the half this side waits for (an invite where an answer was due, another call's). */
            WRONG_HALF
        }

        private final Reason reason;

        BadCode(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    public InviteCode {
        messages = List.copyOf(messages);
    }

    /** The call's id (every message in a code is about one call). */
    public String callId() {
        return messages.get(0).callId();
    }

    /** The line to pass on. */
    public String text() {
        JsonObject o = new JsonObject();
        o.addProperty("kind", kind.name().toLowerCase(Locale.ROOT));
        o.addProperty("from", from);
        o.addProperty("expires", expires.getEpochSecond());
        JsonArray list = new JsonArray();
        messages.forEach(m -> list.add(CODEC.encode(m)));
        o.add("messages", list);
        return pack(o.toString());
    }

    /** Any JSON text packed as a code is (a test packs hostile ones with it). */
    static String pack(String json) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(json.getBytes(StandardCharsets.UTF_8));
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return PREFIX + VERSION + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    /** Reads a pasted code (spaces and line breaks a mail program added are ignored). */
    public static InviteCode parse(String pasted, Clock clock) throws BadCode {
        if (pasted == null) {
            throw new BadCode(BadCode.Reason.NOT_A_CODE, "no code was given");
        }
        // White space a mail or chat program adds, the kinds that do not show too (no-break, zero-width).
        String text = pasted.replaceAll("[\\s\\p{Z}\\u200B-\\u200D\\u2060\\uFEFF]+", "");
        if (text.length() > MAX_CODE_CHARS) {
            throw new BadCode(BadCode.Reason.NOT_A_CODE, "this is far longer than a Parley code");
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new BadCode(
                    text.startsWith(PREFIX) ? BadCode.Reason.DAMAGED : BadCode.Reason.NOT_A_CODE,
                    text.startsWith(PREFIX)
                            ? "the code is damaged: it has characters a Parley code never has (was it changed when pasted?)"
                            : "this is not a Parley code (one starts with \"parley-\")");
        }
        int version = Integer.parseInt(m.group(1));
        if (version != VERSION) {
            throw new BadCode(
                    BadCode.Reason.OTHER_VERSION,
                    "this code was made by a Parley that writes version " + version + " codes; this one"
                            + " reads version " + VERSION + ": both of you need the same Parley version");
        }
        JsonObject o = json(inflate(m.group(2)));
        Kind kind;
        String from;
        Instant expires;
        List<CallMessage> messages = new ArrayList<>();
        try {
            kind = Kind.valueOf(o.get("kind").getAsString().toUpperCase(Locale.ROOT));
            from = o.get("from").getAsString();
            expires = Instant.ofEpochSecond(o.get("expires").getAsLong());
            for (JsonElement e : o.getAsJsonArray("messages")) {
                if (!(CODEC.decode(e.getAsString()) instanceof DecodeResult.Decoded d)
                        || !(d.message() instanceof CallMessage call)) {
                    throw new BadCode(BadCode.Reason.DAMAGED, "the code holds something that is not part of a call");
                }
                messages.add(call);
            }
        } catch (RuntimeException e) { // a missing field, a wrong type, an unknown kind
            throw new BadCode(BadCode.Reason.DAMAGED, "the code is damaged: it does not hold what a Parley code holds");
        }
        if (!UserNames.isValid(from)) {
            throw new BadCode(BadCode.Reason.DAMAGED, "the code's sender name is not a valid name");
        }
        if (clock.instant().isAfter(expires)) {
            throw new BadCode(BadCode.Reason.EXPIRED, "this code expired at " + expires + "; ask for a new one");
        }
        check(kind, messages);
        return new InviteCode(kind, from, expires, messages);
    }

    /** An invite code holds an invite, its offer and candidates; an answer code an accept, its answer, candidates. */
    private static void check(Kind kind, List<CallMessage> messages) throws BadCode {
        if (messages.size() < 2 || messages.size() > MAX_CANDIDATES + 4) {
            throw new BadCode(BadCode.Reason.DAMAGED, "the code does not hold a call's set-up");
        }
        String callId = messages.get(0).callId();
        boolean invite = kind == Kind.INVITE;
        int at = 0;
        if (!(invite ? messages.get(at++) instanceof Invite : messages.get(at++) instanceof Accept)) {
            throw new BadCode(
                    BadCode.Reason.DAMAGED,
                    "the code does not start as " + (invite ? "an invite" : "an answer") + " does");
        }
        if (!invite && messages.get(at) instanceof Ringing) {
            at++;
        }
        if (at >= messages.size()
                || !(invite ? messages.get(at) instanceof Offer : messages.get(at) instanceof Answer)) {
            throw new BadCode(BadCode.Reason.DAMAGED, "the code has no " + (invite ? "offer" : "answer"));
        }
        at++;
        if (at < messages.size() && messages.get(at) instanceof Verify v) {
            // the caller's commitment, or the callee's nonce (never a reveal: that comes once both are known)
            if (!v.stage().equals(invite ? Verify.COMMIT : Verify.NONCE)) {
                throw new BadCode(BadCode.Reason.DAMAGED, "the code holds a verification step out of its order");
            }
            at++;
        }
        if (messages.size() - at > MAX_CANDIDATES) {
            throw new BadCode(BadCode.Reason.DAMAGED, "the code holds more candidates than a Parley writes");
        }
        for (; at < messages.size(); at++) {
            if (!(messages.get(at) instanceof Candidate)) {
                throw new BadCode(BadCode.Reason.DAMAGED, "the code holds more than a call's set-up");
            }
        }
        for (CallMessage c : messages) {
            if (!c.callId().equals(callId)) {
                throw new BadCode(BadCode.Reason.DAMAGED, "the code mixes two calls");
            }
        }
    }

    private static byte[] inflate(String base64) throws BadCode {
        byte[] deflated;
        try {
            deflated = Base64.getUrlDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new BadCode(BadCode.Reason.DAMAGED, "the code is damaged (was it cut short or changed when pasted?)");
        }
        Inflater inflater = new Inflater();
        inflater.setInput(deflated);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new BadCode(BadCode.Reason.DAMAGED, "the code is damaged (was it cut short when pasted?)");
                }
                out.write(chunk, 0, n);
                if (out.size() > MAX_JSON_BYTES) {
                    throw new BadCode(BadCode.Reason.DAMAGED, "the code unpacks to far more than a call's set-up");
                }
            }
        } catch (DataFormatException e) {
            throw new BadCode(BadCode.Reason.DAMAGED, "the code is damaged (was it changed when pasted?)");
        } finally {
            inflater.end();
        }
        return out.toByteArray();
    }

    private static JsonObject json(byte[] bytes) throws BadCode {
        try {
            JsonElement e = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new BadCode(
                        BadCode.Reason.DAMAGED, "the code is damaged: it does not hold what a Parley code holds");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new BadCode(BadCode.Reason.DAMAGED, "the code is damaged: it does not hold what a Parley code holds");
        }
    }
}
