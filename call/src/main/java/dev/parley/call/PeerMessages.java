package dev.parley.call;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.parley.signaling.protocol.Verify;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The messages peers exchange over a call's data channel, one JSON object per message with a {@code type}:
 * {@code {"type":"chat","text":"…"}}, {@code {"type":"media","camera":true,"microphone":false,"screen":false}}, and
 * the four that move a file ({@code file-offer}, {@code file-answer}, {@code file-cancel}, {@code file-received};
 * the bytes themselves go over a channel of their own). Unknown types and unknown fields are ignored, so a newer
 * peer can add both; a known type with a field out of bounds is dropped whole (docs/PROTOCOL.md, "In-call
 * messages").
 */
final class PeerMessages {
    sealed interface PeerMessage
            permits Chat,
                    Media,
                    FileOffer,
                    FileAnswer,
                    FileCancel,
                    FileReceived,
                    VerifyStep,
                    LinkDescription,
                    LinkCandidate {}

    record Chat(String text) implements PeerMessage {}

    record Media(PeerMedia media) implements PeerMessage {}

    /**
     * A file the sender would like to send: what the receiver is shown before it chooses (the name is a display
     * name only: {@link FileNames#safe}), and the SHA-256 it checks the bytes against.
     */
    /**
     * @param windowed the sender keeps to a window the receiver asks for in its answer (absent: false)
     * @param link     the sender can move the bytes on a file link, a connection of their own ({@link FileLinks};
     *                 absent: false)
     */
    record FileOffer(String id, String name, long size, String mime, String sha256, boolean windowed, boolean link)
            implements PeerMessage {
        FileOffer(String id, String name, long size, String mime, String sha256) {
            this(id, name, size, mime, sha256, false, false);
        }
    }

    /**
     * The receiver takes the offered file ({@code accept}) or declines it; {@code link}: it takes the bytes on a
     * file link (only if the offer said it could; absent: false, the call's own connection).
     */
    record FileAnswer(String id, boolean accept, long window, boolean link) implements PeerMessage {
        /** A refusal, or an accept from a receiver that does not report what it wrote (no window). */
        FileAnswer(String id, boolean accept) {
            this(id, accept, 0, false);
        }
    }

    /**
     * A file link's description ({@link FileLinks}): the sender's offer or the receiver's answer; {@code tcp}: the
     * offer's link gathers TCP host candidates only, and so should the answer's (absent: false, UDP as before).
     */
    record LinkDescription(boolean offer, String sdp, boolean tcp) implements PeerMessage {}

    /** A candidate of a file link, from the side that offered the link or the side that answered it. */
    record LinkCandidate(boolean fromOfferer, String mid, int index, String candidate) implements PeerMessage {}

    private static final int MAX_CANDIDATE_CHARS = 1_000;

    /**
     * The window a receiver may ask for in its {@code file-answer}: it then reports the bytes it has written (8
     * bytes, big-endian, on the transfer's channel) and the sender keeps at most {@code window} bytes beyond the
     * last report on their way; 0 (absent) is a receiver that never reports.
     */
    static final long MIN_WINDOW = 4L << 20; // several reports' worth: a receiver reports at least every MiB

    static final long MAX_WINDOW = 64L << 20;

    /** Either side stops a transfer (offered, waiting or moving); the reason is for the log. */
    record FileCancel(String id, String reason) implements PeerMessage {}

    /** A step of the call's verification (PROTOCOL.md 7b) that signaling could not carry. */
    record VerifyStep(String stage, String value) implements PeerMessage {}

    /** The receiver's verdict once the bytes are in: saved ({@code ok}), or why not. */
    record FileReceived(String id, boolean ok, String reason) implements PeerMessage {}

    /** A transfer's id: 1–64 letters, digits, '-' and '_' (it names the transfer's channel, "file:ID"). */
    static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Longest offered name, in characters (made shorter and safe before use). */
    static final int MAX_NAME_CHARS = 1_000;

    /** Largest file that can be offered: 2^53 - 1 bytes, the largest integer a JSON number carries exactly. */
    static final long MAX_FILE_BYTES = (1L << 53) - 1;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_REASON_CHARS = 200;

    private PeerMessages() {}

    static String verify(String stage, String value) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "verify");
        o.addProperty("stage", stage);
        o.addProperty("value", value);
        return o.toString();
    }

    static String chat(String text) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "chat");
        o.addProperty("text", text);
        return o.toString();
    }

    static String media(PeerMedia m) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "media");
        o.addProperty("camera", m.camera());
        o.addProperty("microphone", m.microphone());
        o.addProperty("screen", m.screen());
        return o.toString();
    }

    static String fileOffer(FileOffer f) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "file-offer");
        o.addProperty("id", f.id());
        o.addProperty("name", f.name());
        o.addProperty("size", f.size());
        o.addProperty("mime", f.mime());
        o.addProperty("sha256", f.sha256());
        if (f.windowed()) {
            o.addProperty("windowed", true);
        }
        if (f.link()) {
            o.addProperty("link", true);
        }
        return o.toString();
    }

    static String fileAnswer(String id, boolean accept) {
        return fileAnswer(id, accept, 0, false);
    }

    /**
     * An answer; a {@code window} above 0 asks the sender to wait for reports of what was written, {@code link} to
     * send the bytes on a file link.
     */
    static String fileAnswer(String id, boolean accept, long window, boolean link) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "file-answer");
        o.addProperty("id", id);
        o.addProperty("accept", accept);
        if (window > 0) {
            o.addProperty("window", window);
        }
        if (link) {
            o.addProperty("link", true);
        }
        return o.toString();
    }

    static String linkDescription(boolean offer, String sdp, boolean tcp) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "file-link");
        o.addProperty("sdpType", offer ? "offer" : "answer");
        o.addProperty("sdp", sdp);
        if (tcp) {
            o.addProperty("tcp", true);
        }
        return o.toString();
    }

    static String linkCandidate(boolean fromOfferer, String mid, int index, String candidate) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "file-link-candidate");
        o.addProperty("from", fromOfferer ? "offerer" : "answerer");
        o.addProperty("mid", mid);
        o.addProperty("index", index);
        o.addProperty("candidate", candidate);
        return o.toString();
    }

    static String fileCancel(String id, String reason) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "file-cancel");
        o.addProperty("id", id);
        o.addProperty("reason", clip(reason));
        return o.toString();
    }

    static String fileReceived(String id, boolean ok, String reason) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "file-received");
        o.addProperty("id", id);
        o.addProperty("ok", ok);
        if (reason != null) {
            o.addProperty("reason", clip(reason));
        }
        return o.toString();
    }

    private static String clip(String reason) {
        return reason == null || reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS);
    }

    /** The message, or null for anything that is not one we know (logged by the caller, never fatal). */
    static PeerMessage decode(String text) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(text);
        } catch (RuntimeException e) {
            return null;
        }
        if (!(parsed instanceof JsonObject o)
                || o.get("type") == null
                || !o.get("type").isJsonPrimitive()) {
            return null;
        }
        JsonElement type = o.get("type");
        try {
            return switch (type.getAsString()) {
                case "chat" ->
                    o.get("text") != null
                                    && o.get("text").isJsonPrimitive()
                                    && o.get("text").getAsString().length() <= CallSession.MAX_CHAT_CHARS
                            ? new Chat(o.get("text").getAsString())
                            : null;
                case "media" ->
                    new Media(new PeerMedia(
                            flag(o, "camera", true), flag(o, "microphone", true), flag(o, "screen", false)));
                case "file-offer" -> fileOffer(o);
                case "file-answer" -> fileAnswer(o);
                case "file-cancel" -> id(o) == null ? null : new FileCancel(id(o), reason(o));
                case "verify" -> verifyStep(o);
                case "file-link" -> linkDescription(o);
                case "file-link-candidate" -> linkCandidate(o);
                case "file-received" ->
                    id(o) == null || bool(o, "ok") == null ? null : new FileReceived(id(o), bool(o, "ok"), reason(o));
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Only the protocol's stages and 256-bit values: anything else is dropped whole. */
    private static VerifyStep verifyStep(JsonObject o) {
        String stage = text(o, "stage");
        String value = text(o, "value");
        if (stage == null || value == null) {
            return null;
        }
        try {
            Verify checked = new Verify("x", "x", "x", stage, value); // the protocol's own checks
            return new VerifyStep(checked.stage(), checked.value());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static FileOffer fileOffer(JsonObject o) {
        String id = id(o);
        String name = text(o, "name");
        String mime = o.has("mime") ? text(o, "mime") : "";
        String sha256 = text(o, "sha256");
        JsonElement size = o.get("size");
        if (id == null
                || name == null
                || name.isEmpty()
                || name.length() > MAX_NAME_CHARS
                || mime == null
                || mime.length() > 255
                || sha256 == null
                || !SHA256.matcher(sha256).matches()
                || size == null
                || !size.isJsonPrimitive()
                || !size.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        BigDecimal bytes = size.getAsBigDecimal();
        if (bytes.signum() < 0 || bytes.compareTo(BigDecimal.valueOf(MAX_FILE_BYTES)) > 0) {
            return null;
        }
        // A fraction of a byte throws here (and the message is dropped by decode's catch).
        Boolean windowed = optionalBool(o, "windowed");
        Boolean link = optionalBool(o, "link");
        if (windowed == null || link == null) {
            return null; // present but not a boolean
        }
        return new FileOffer(id, name, bytes.longValueExact(), mime, sha256, windowed, link);
    }

    private static LinkDescription linkDescription(JsonObject o) {
        String type = text(o, "sdpType");
        String sdp = text(o, "sdp");
        Boolean tcp = optionalBool(o, "tcp");
        if (sdp == null
                || tcp == null
                || sdp.length() > FileLinks.MAX_SDP_CHARS
                || !("offer".equals(type) || "answer".equals(type))) {
            return null;
        }
        return new LinkDescription(type.equals("offer"), sdp, tcp);
    }

    private static LinkCandidate linkCandidate(JsonObject o) {
        String from = text(o, "from");
        String mid = text(o, "mid");
        String candidate = text(o, "candidate");
        JsonElement index = o.get("index");
        if (!("offerer".equals(from) || "answerer".equals(from))
                || mid == null
                || mid.length() > 32
                || candidate == null
                || candidate.length() > MAX_CANDIDATE_CHARS
                || index == null
                || !index.isJsonPrimitive()
                || !index.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        int i = index.getAsBigDecimal().intValueExact(); // a fraction or a huge number throws: dropped
        if (i < 0 || i > 63) {
            return null;
        }
        return new LinkCandidate(from.equals("offerer"), mid, i, candidate);
    }

    /** An optional boolean field: false if absent, null if present but not a boolean. */
    private static Boolean optionalBool(JsonObject o, String name) {
        return o.has(name) ? bool(o, name) : Boolean.FALSE;
    }

    private static FileAnswer fileAnswer(JsonObject o) {
        String id = id(o);
        Boolean accept = bool(o, "accept");
        Boolean link = optionalBool(o, "link");
        if (id == null || accept == null || link == null) {
            return null;
        }
        if (!o.has("window")) {
            return new FileAnswer(id, accept, 0, link);
        }
        JsonElement w = o.get("window");
        if (!w.isJsonPrimitive() || !w.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        BigDecimal window = w.getAsBigDecimal();
        if (window.compareTo(BigDecimal.valueOf(MIN_WINDOW)) < 0
                || window.compareTo(BigDecimal.valueOf(MAX_WINDOW)) > 0) {
            return null;
        }
        return new FileAnswer(id, accept, window.longValueExact(), link);
    }

    /** The transfer id, or null if missing or not {@link #FILE_ID}. */
    private static String id(JsonObject o) {
        String id = text(o, "id");
        return id != null && FILE_ID.matcher(id).matches() ? id : null;
    }

    private static String reason(JsonObject o) {
        String r = o.has("reason") ? text(o, "reason") : null;
        return r == null ? null : clip(r);
    }

    /** A boolean field, or null if absent or not a JSON boolean. */
    private static Boolean bool(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() ? e.getAsBoolean() : null;
    }

    /** A string field, or null if absent or not a string. */
    private static String text(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    private static boolean flag(JsonObject o, String name, boolean absent) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? absent : e.getAsBoolean();
    }
}
