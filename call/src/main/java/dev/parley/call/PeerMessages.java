package dev.parley.call;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The messages peers exchange over a call's data channel, one JSON object per message with a {@code type}:
 * {@code {"type":"chat","text":"…"}} and {@code {"type":"media","camera":true,"microphone":false,"screen":false}}.
 * Unknown types and unknown fields are ignored, so a newer peer can add both (docs/PROTOCOL.md, "In-call
 * messages").
 */
final class PeerMessages {
    sealed interface PeerMessage permits Chat, Media {}

    record Chat(String text) implements PeerMessage {}

    record Media(PeerMedia media) implements PeerMessage {}

    private PeerMessages() {}

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
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean flag(JsonObject o, String name, boolean absent) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? absent : e.getAsBoolean();
    }
}
