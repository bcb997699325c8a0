package dev.parley.signaling.protocol;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.annotations.SerializedName;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The one place that knows the JSON form of {@link Message}s.
 *
 * <p>Every message is a JSON object with a {@code type} tag and the protocol major version {@code v}, followed by
 * the record's fields; absent optional fields are omitted. Decoding never throws: malformed JSON, an unknown
 * type, a missing or wrong-typed field, an invalid value or an oversized text all come back as a
 * {@link DecodeResult.Failure} with a clear reason. Unknown fields are ignored, so a newer peer may add optional
 * fields within a major version (see docs/PROTOCOL.md, "Versions"). Instances are thread-safe.
 */
public final class MessageCodec {
    /** The protocol major version this code speaks. */
    public static final int PROTOCOL_VERSION = 1;
    /** Default limit on one message, in UTF-8 bytes. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    private static final Map<Class<? extends Message>, String> TAGS = tags();
    private static final Map<String, Class<? extends Message>> TYPES =
            TAGS.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

    private final Gson gson;
    private final int maxBytes;

    public MessageCodec() {
        this(DEFAULT_MAX_BYTES);
    }

    public MessageCodec(int maxBytes) {
        if (maxBytes < 256) {
            throw new IllegalArgumentException("maxBytes must be at least 256");
        }
        this.maxBytes = maxBytes;
        this.gson = new GsonBuilder()
                .disableHtmlEscaping()
                .setStrictness(Strictness.STRICT)
                .registerTypeAdapterFactory(new StrictScalars())
                .create();
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** The {@code type} tag of a message class, e.g. {@code "invite"}. */
    public static String typeOf(Class<? extends Message> type) {
        return Objects.requireNonNull(TAGS.get(type), () -> "no tag for " + type);
    }

    /** All type tags, for documentation and tests. */
    public static Map<String, Class<? extends Message>> types() {
        return TYPES;
    }

    /** The JSON text of a message: the tag and version first, then the record's fields. */
    public String encode(Message message) {
        String hot = HotMessages.write(message);
        return hot != null ? hot : encodeWithGson(message);
    }

    /** The JSON text Gson writes for a message (the hot messages' hand-written form is held to it by a test). */
    String encodeWithGson(Message message) {
        // One pre-sized buffer: the envelope, then Gson's object with its opening brace turned into a comma.
        StringBuilder json = new StringBuilder(256); // offers and answers, the long ones, are written by hand
        json.append("{\"type\":\"")
                .append(typeOf(message.getClass()))
                .append("\",\"v\":")
                .append(PROTOCOL_VERSION);
        int body = json.length();
        gson.toJson(message, message.getClass(), json);
        if (json.length() - body <= 2) {
            json.setLength(body);
            json.append('}');
        } else {
            json.setCharAt(body, ',');
        }
        return json.toString();
    }

    /**
     * Decodes one text; never throws. Two streaming passes, no intermediate tree: the first reads the envelope
     * ({@code type}, {@code v}, {@code callId}) and checks the JSON is one well-formed object, the second binds the
     * record of that type.
     */
    public DecodeResult decode(String text) {
        if (text == null || text.isEmpty()) {
            return new DecodeResult.Failure(ErrorCode.BAD_JSON, "empty message", null, null);
        }
        if (utf8LengthExceeds(text, maxBytes)) {
            return new DecodeResult.Failure(
                    ErrorCode.TOO_LARGE, "message is larger than the limit of " + maxBytes + " bytes", null, null);
        }
        Message fast = decodeCanonical(text);
        if (fast != null) {
            return new DecodeResult.Decoded(fast);
        }
        Envelope envelope;
        try {
            envelope = Envelope.read(reader(text));
        } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
            return new DecodeResult.Failure(ErrorCode.BAD_JSON, "malformed JSON: " + rootMessage(e), null, null);
        }
        if (envelope.notAnObject) {
            return new DecodeResult.Failure(ErrorCode.BAD_JSON, "a message must be a JSON object", null, null);
        }
        String type = envelope.type;
        String callId = envelope.callId != null && envelope.callId.length() <= 64 ? envelope.callId : null;
        if (type == null) {
            return new DecodeResult.Failure(ErrorCode.INVALID_MESSAGE, "missing string field 'type'", null, callId);
        }
        type = abbreviate(type);
        if (envelope.badVersion) {
            return new DecodeResult.Failure(ErrorCode.INVALID_MESSAGE, "field 'v' must be an integer", type, callId);
        }
        if (envelope.version != null && envelope.version != PROTOCOL_VERSION) {
            return new DecodeResult.Failure(
                    ErrorCode.UNSUPPORTED_VERSION,
                    "protocol version " + envelope.version + " is not supported; this side speaks " + PROTOCOL_VERSION,
                    type,
                    callId);
        }
        Class<? extends Message> cls = TYPES.get(type);
        if (cls == null) {
            return new DecodeResult.Failure(
                    ErrorCode.UNKNOWN_TYPE, "unknown message type '" + type + "'", type, callId);
        }
        try {
            Message message = gson.fromJson(reader(text), cls);
            return new DecodeResult.Decoded(Objects.requireNonNull(message));
        } catch (RuntimeException e) {
            return new DecodeResult.Failure(
                    ErrorCode.INVALID_MESSAGE, "invalid " + type + ": " + rootMessage(e), type, callId);
        }
    }

    /**
     * One pass for text in the canonical form this codec writes ({@code {"type":"T","v":1,...}}): the tag and the
     * version are read from the prefix, so only the record is bound. Anything else, and any failure, returns null
     * and takes the two-pass path, which gives the precise error.
     */
    private Message decodeCanonical(String text) {
        final String open = "{\"type\":\"";
        if (!text.startsWith(open)) {
            return null;
        }
        int tagEnd = text.indexOf('"', open.length());
        if (tagEnd < 0) {
            return null;
        }
        Class<? extends Message> cls = TYPES.get(text.substring(open.length(), tagEnd));
        final String version = "\",\"v\":" + PROTOCOL_VERSION;
        int after = tagEnd + version.length();
        if (cls == null
                || !text.startsWith(version, tagEnd)
                || after >= text.length()
                || (text.charAt(after) != ',' && text.charAt(after) != '}')) {
            return null;
        }
        if (text.indexOf("\"type\"", after) >= 0 || text.indexOf("\"v\"", after) >= 0) {
            return null; // a repeated key: the strict path decides, with the last value winning
        }
        if (cls == Candidate.class || cls == Offer.class || cls == Answer.class) {
            Message hot = HotMessages.read(cls, text, after);
            if (hot != null) {
                return hot;
            }
        }
        try {
            JsonReader reader = reader(text);
            Message message = gson.fromJson(reader, cls);
            return message != null && reader.peek() == JsonToken.END_DOCUMENT ? message : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Gson's binding of a whole text as a {@code type}, the hand-written path left out (a test holds that path to
     * this); throws what Gson throws.
     */
    Message bindWithGson(String text, Class<? extends Message> type) throws IOException {
        JsonReader reader = reader(text);
        Message message = gson.fromJson(reader, type);
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new JsonParseException("trailing data");
        }
        return message;
    }

    private static JsonReader reader(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        return reader;
    }

    /** The fields every message shares, read without binding the rest. */
    private static final class Envelope {
        boolean notAnObject;
        String type;
        String callId;
        Integer version;
        boolean badVersion;

        static Envelope read(JsonReader in) throws IOException {
            Envelope e = new Envelope();
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                in.skipValue();
                if (in.peek() != JsonToken.END_DOCUMENT) {
                    throw new JsonParseException("trailing data after the JSON value");
                }
                e.notAnObject = true;
                return e;
            }
            in.beginObject();
            while (in.hasNext()) {
                String name = in.nextName();
                JsonToken token = in.peek();
                if (name.equals("type") && token == JsonToken.STRING) {
                    e.type = in.nextString();
                } else if (name.equals("callId") && token == JsonToken.STRING) {
                    e.callId = in.nextString();
                } else if (name.equals("v")) {
                    if (token == JsonToken.NUMBER) {
                        String v = in.nextString();
                        try {
                            e.version = Integer.valueOf(v);
                        } catch (NumberFormatException notAnInt) {
                            e.badVersion = true;
                        }
                    } else {
                        in.skipValue();
                        e.badVersion = true;
                    }
                } else {
                    in.skipValue();
                }
            }
            in.endObject();
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw new JsonParseException("trailing data after the JSON object");
            }
            return e;
        }
    }

    private static boolean utf8LengthExceeds(String text, int max) {
        if (text.length() > max) {
            return true; // every char takes at least one byte
        }
        if ((long) text.length() * 3 <= max) {
            return false; // every char takes at most three bytes
        }
        return text.getBytes(StandardCharsets.UTF_8).length > max;
    }

    /** Fits the 64 characters an error's {@code inReplyTo} allows. */
    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 63) + "…";
    }

    /** The most specific message in a chain: our own validation message rather than Gson's wrapper. */
    private static String rootMessage(Throwable e) {
        Throwable best = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException
                    || t instanceof JsonParseException
                    || t instanceof NumberFormatException
                    || t instanceof IOException) {
                best = t;
            }
        }
        String msg = best.getMessage();
        return msg == null ? best.getClass().getSimpleName() : msg;
    }

    private static Map<Class<? extends Message>, String> tags() {
        Map<Class<? extends Message>, String> m = new LinkedHashMap<>();
        m.put(Hello.class, "hello");
        m.put(Welcome.class, "welcome");
        m.put(Subscribe.class, "subscribe");
        m.put(Presence.class, "presence");
        m.put(Invite.class, "invite");
        m.put(Ringing.class, "ringing");
        m.put(Accept.class, "accept");
        m.put(Decline.class, "decline");
        m.put(Busy.class, "busy");
        m.put(Cancel.class, "cancel");
        m.put(Offer.class, "offer");
        m.put(Answer.class, "answer");
        m.put(Candidate.class, "candidate");
        m.put(Hangup.class, "hangup");
        m.put(Verify.class, "verify");
        m.put(ErrorMessage.class, "error");
        m.put(Ping.class, "ping");
        m.put(Pong.class, "pong");
        m.put(ContactRequest.class, "contact-request");
        m.put(ContactAnswer.class, "contact-answer");
        m.put(ContactRemove.class, "contact-remove");
        m.put(Contacts.class, "contacts");
        m.put(LinkCreate.class, "link-create");
        m.put(LinkRevoke.class, "link-revoke");
        m.put(Link.class, "link");
        return Map.copyOf(m);
    }

    /**
     * Gson coerces between strings, numbers and booleans and turns unknown enum constants into null; a protocol
     * must not. These adapters accept only the JSON token of the field's own type.
     */
    private static final class StrictScalars implements TypeAdapterFactory {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            Class<? super T> raw = type.getRawType();
            if (raw == String.class) {
                return (TypeAdapter<T>)
                        new Strict<>(JsonToken.STRING, "a string", JsonReader::nextString, JsonWriter::value);
            }
            if (raw == int.class || raw == Integer.class) {
                return (TypeAdapter<T>) new Strict<Integer>(
                        JsonToken.NUMBER, "an integer", in -> Integer.parseInt(in.nextString()), (w, v) -> w.value(v));
            }
            if (raw == long.class || raw == Long.class) {
                return (TypeAdapter<T>) new Strict<Long>(
                        JsonToken.NUMBER, "an integer", in -> Long.parseLong(in.nextString()), (w, v) -> w.value(v));
            }
            if (raw == boolean.class || raw == Boolean.class) {
                return (TypeAdapter<T>) new Strict<Boolean>(
                        JsonToken.BOOLEAN, "true or false", JsonReader::nextBoolean, (w, v) -> w.value(v));
            }
            if (raw.isEnum()) {
                return (TypeAdapter<T>) new StrictEnum(raw);
            }
            return null;
        }
    }

    private interface Reader<T> {
        T read(JsonReader in) throws IOException;
    }

    private interface Writer<T> {
        void write(JsonWriter out, T value) throws IOException;
    }

    private static final class Strict<T> extends TypeAdapter<T> {
        private final JsonToken token;
        private final String expected;
        private final Reader<T> reader;
        private final Writer<T> writer;

        Strict(JsonToken token, String expected, Reader<T> reader, Writer<T> writer) {
            this.token = token;
            this.expected = expected;
            this.reader = reader;
            this.writer = writer;
        }

        @Override
        public void write(JsonWriter out, T value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                writer.write(out, value);
            }
        }

        @Override
        public T read(JsonReader in) throws IOException {
            JsonToken actual = in.peek();
            if (actual == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            if (actual != token) {
                throw new JsonParseException(
                        "field " + in.getPath().replaceFirst("^\\$\\.?", "'") + "' must be " + expected);
            }
            try {
                return reader.read(in);
            } catch (NumberFormatException e) {
                throw new JsonParseException(
                        "field " + in.getPath().replaceFirst("^\\$\\.?", "'") + "' must be " + expected);
            }
        }
    }

    private static final class StrictEnum<E extends Enum<E>> extends TypeAdapter<E> {
        private final Map<String, E> byName = new HashMap<>();
        private final Map<E, String> names = new HashMap<>();

        StrictEnum(Class<E> type) {
            for (E constant : type.getEnumConstants()) {
                String name = constant.name().toLowerCase(Locale.ROOT);
                try {
                    SerializedName sn = type.getField(constant.name()).getAnnotation(SerializedName.class);
                    if (sn != null) {
                        name = sn.value();
                    }
                } catch (NoSuchFieldException e) {
                    throw new IllegalStateException(e);
                }
                byName.put(name, constant);
                names.put(constant, name);
            }
        }

        @Override
        public void write(JsonWriter out, E value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(names.get(value));
            }
        }

        @Override
        public E read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            String path = in.getPath();
            if (in.peek() != JsonToken.STRING) {
                throw new JsonParseException("field at " + path + " must be one of " + byName.keySet());
            }
            String value = in.nextString();
            E e = byName.get(value);
            if (e == null) {
                throw new JsonParseException("'" + abbreviate(value) + "' is not one of "
                        + Arrays.toString(names.values().stream().sorted().toArray()));
            }
            return e;
        }
    }
}
