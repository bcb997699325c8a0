package dev.parley.signaling.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec();

    static Stream<Message> oneOfEachType() {
        return Stream.of(
                new Hello("alice", "s3cret", null, "dev-1", "parley/test"),
                new Hello(null, null, "tok.en", null, null),
                new Welcome("alice", "dev-1", "s-1", "tok", 86400,
                        List.of(new IceServer(List.of("stun:stun.example.org:3478"), null, null),
                                new IceServer(List.of("turn:turn.example.org:3478?transport=udp",
                                        "turns:turn.example.org:5349"), "1700000000:alice", "c2VjcmV0")),
                        20, "parley-server/0.1"),
                new Subscribe(List.of("bob", "carol")),
                new Presence("bob", PresenceStatus.AWAY),
                new Presence(null, PresenceStatus.ONLINE),
                new Invite("c-1", "alice", "bob", Set.of(MediaKind.AUDIO, MediaKind.VIDEO)),
                new Ringing("c-1", "bob", "alice"),
                new Accept("c-1", "bob", "alice"),
                new Decline("c-1", "bob", "alice", "declined"),
                new Busy("c-1", "bob", "alice"),
                new Cancel("c-1", "alice", "bob", null),
                new Offer("c-1", "alice", "bob", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n\"quoted\" ünïcode"),
                new Answer("c-1", "bob", "alice", "v=0\r\n"),
                new Candidate("c-1", "alice", "bob", "0", 0,
                        "candidate:1 1 udp 2122260223 198.18.0.1 54321 typ host generation 0", false),
                Candidate.end("c-1", "bob"),
                new Hangup("c-1", "bob", "alice", "hangup"),
                new ErrorMessage(ErrorCode.UNAVAILABLE, "bob is not signed in", "invite", "c-1"),
                new Ping(42),
                new Pong(-7));
    }

    @ParameterizedTest
    @MethodSource("oneOfEachType")
    void everyMessageSurvivesARoundTrip(Message message) {
        String json = codec.encode(message);
        DecodeResult result = codec.decode(json);
        Message back = assertInstanceOf(DecodeResult.Decoded.class, result, json).message();
        assertEquals(message, back);
        assertTrue(json.startsWith("{\"type\":\"" + MessageCodec.typeOf(message.getClass()) + "\",\"v\":1"), json);
    }

    @Test
    void theRoundTripCasesCoverEveryMessageType() {
        Set<Class<?>> covered = new HashSet<>();
        oneOfEachType().forEach(m -> covered.add(m.getClass()));
        Set<Class<?>> all = new HashSet<>();
        collectLeaves(Message.class, all);
        assertEquals(all, covered);
        assertEquals(all, new HashSet<>(MessageCodec.types().values()));
    }

    private static void collectLeaves(Class<?> type, Set<Class<?>> out) {
        if (type.isSealed()) {
            for (Class<?> sub : type.getPermittedSubclasses()) {
                collectLeaves(sub, out);
            }
        } else {
            out.add(type);
        }
    }

    @Test
    void absentOptionalFieldsAreOmitted() {
        String json = codec.encode(new Cancel("c-1", null, "bob", null));
        assertEquals("{\"type\":\"cancel\",\"v\":1,\"callId\":\"c-1\",\"to\":\"bob\"}", json);
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        Message m = decoded("{\"type\":\"ringing\",\"v\":1,\"callId\":\"c\",\"to\":\"bob\",\"newField\":[1,2]}");
        assertEquals(new Ringing("c", null, "bob"), m);
    }

    @Test
    void fieldOrderDoesNotMatter() {
        assertEquals(new Ringing("c", null, "bob"), decoded("{\"to\":\"bob\",\"v\":1,\"callId\":\"c\",\"type\":\"ringing\"}"));
        // A canonical-looking prefix with a bad body still gets the precise error.
        DecodeResult.Failure f = failure("{\"type\":\"ringing\",\"v\":1,\"callId\":\"c\"}");
        assertEquals(ErrorCode.INVALID_MESSAGE, f.code());
        assertTrue(f.reason().contains("'to'"), f.reason());
        assertEquals(ErrorCode.BAD_JSON, failure("{\"type\":\"ping\",\"v\":1,\"nonce\":1} {}").code());
    }

    @Test
    void aMissingVersionMeansTheCurrentOne() {
        assertEquals(new Ping(1), decoded("{\"type\":\"ping\",\"nonce\":1}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{", "{\"type\":\"ping\"", "[1,2]", "\"ping\"", "42", "null",
            "{\"type\":\"ping\"} trailing", "{'type':'ping'}", "{\"type\":\"ping\",}"})
    void malformedJsonIsABadJsonFailure(String text) {
        DecodeResult.Failure f = failure(text);
        assertEquals(ErrorCode.BAD_JSON, f.code(), f.reason());
        assertNotNull(f.reason());
    }

    @Test
    void deeplyNestedJsonIsRefusedWithoutCrashing() {
        String deep = "[".repeat(60_000) + "]".repeat(60_000);
        DecodeResult.Failure f = failure(deep.substring(0, Math.min(deep.length(), 60_000)));
        assertEquals(ErrorCode.BAD_JSON, f.code());
    }

    @Test
    void unknownTypeIsNamedInTheFailure() {
        DecodeResult.Failure f = failure("{\"type\":\"teleport\",\"callId\":\"c-9\"}");
        assertEquals(ErrorCode.UNKNOWN_TYPE, f.code());
        assertEquals("teleport", f.type());
        assertEquals("c-9", f.callId());
        assertTrue(f.reason().contains("teleport"), f.reason());
    }

    @Test
    void longTypesAndCallIdsStillGiveTheRightErrorCode() {
        DecodeResult.Failure f = failure("{\"type\":\"" + "x".repeat(200) + "\"}");
        assertEquals(ErrorCode.UNKNOWN_TYPE, f.code());
        assertEquals(64, f.type().length());
        assertEquals(ErrorCode.UNKNOWN_TYPE, f.toErrorMessage().code());
        DecodeResult.Failure g = failure("{\"type\":\"ringing\",\"callId\":\"" + "c".repeat(100) + "\",\"to\":\"bob\"}");
        assertEquals(ErrorCode.INVALID_MESSAGE, g.toErrorMessage().code());
    }

    @Test
    void mediaKindsHaveAStableOrderOnTheWire() {
        String json = codec.encode(new Invite("c", null, "bob", Set.of(MediaKind.VIDEO, MediaKind.AUDIO)));
        assertTrue(json.contains("\"media\":[\"audio\",\"video\"]"), json);
    }

    @Test
    void missingTypeIsInvalid() {
        assertEquals(ErrorCode.INVALID_MESSAGE, failure("{\"callId\":\"c\"}").code());
        assertEquals(ErrorCode.INVALID_MESSAGE, failure("{\"type\":7}").code());
    }

    @Test
    void anotherMajorVersionIsUnsupported() {
        DecodeResult.Failure f = failure("{\"type\":\"ping\",\"v\":2,\"nonce\":1}");
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, f.code());
        assertEquals(ErrorCode.INVALID_MESSAGE, failure("{\"type\":\"ping\",\"v\":\"1\",\"nonce\":1}").code());
    }

    static Stream<String[]> invalidMessages() {
        return Stream.of(
                new String[]{"{\"type\":\"invite\",\"callId\":\"c\",\"media\":[\"audio\"]}", "'to'"},
                new String[]{"{\"type\":\"invite\",\"callId\":\"c\",\"to\":\"bob\",\"media\":[]}", "media"},
                new String[]{"{\"type\":\"invite\",\"callId\":\"c\",\"to\":\"bob\",\"media\":[\"smell\"]}", "smell"},
                new String[]{"{\"type\":\"invite\",\"callId\":\"c\",\"to\":5,\"media\":[\"audio\"]}", "'to' must be a string"},
                new String[]{"{\"type\":\"invite\",\"callId\":\"c\",\"to\":\"Bob!\",\"media\":[\"audio\"]}", "user name"},
                new String[]{"{\"type\":\"offer\",\"callId\":\"c\",\"to\":\"bob\"}", "'sdp'"},
                new String[]{"{\"type\":\"offer\",\"callId\":\"c\",\"to\":\"bob\",\"sdp\":{}}", "'sdp' must be a string"},
                new String[]{"{\"type\":\"offer\",\"callId\":\"no spaces\",\"to\":\"bob\",\"sdp\":\"x\"}", "callId"},
                new String[]{"{\"type\":\"candidate\",\"callId\":\"c\",\"to\":\"bob\",\"sdpMLineIndex\":\"0\",\"candidate\":\"x\"}", "integer"},
                new String[]{"{\"type\":\"candidate\",\"callId\":\"c\",\"to\":\"bob\",\"sdpMLineIndex\":1.5,\"candidate\":\"x\"}", "integer"},
                new String[]{"{\"type\":\"candidate\",\"callId\":\"c\",\"to\":\"bob\",\"sdpMLineIndex\":0}", "'candidate'"},
                new String[]{"{\"type\":\"candidate\",\"callId\":\"c\",\"to\":\"bob\",\"candidate\":\"x\",\"endOfCandidates\":\"yes\"}", "true or false"},
                new String[]{"{\"type\":\"presence\",\"status\":\"sleeping\"}", "sleeping"},
                new String[]{"{\"type\":\"presence\"}", "'status'"},
                new String[]{"{\"type\":\"hello\",\"password\":\"x\"}", "'user'"},
                new String[]{"{\"type\":\"ping\",\"nonce\":\"one\"}", "integer"},
                new String[]{"{\"type\":\"subscribe\",\"users\":\"bob\"}", "users"},
                new String[]{"{\"type\":\"error\",\"message\":\"x\"}", "'code'"});
    }

    @ParameterizedTest
    @MethodSource("invalidMessages")
    void invalidFieldsGiveAClearFailure(String text, String mentioned) {
        DecodeResult.Failure f = failure(text);
        assertEquals(ErrorCode.INVALID_MESSAGE, f.code(), f.reason());
        assertTrue(f.reason().contains(mentioned), () -> "'" + f.reason() + "' should mention " + mentioned);
        assertEquals(f.type(), f.toErrorMessage().inReplyTo());
    }

    @Test
    void tooLargeTextIsRefusedBeforeParsing() {
        MessageCodec small = new MessageCodec(1024);
        String sdp = "a".repeat(2000);
        DecodeResult.Failure f = assertInstanceOf(DecodeResult.Failure.class,
                small.decode(codec.encode(new Offer("c", null, "bob", sdp))));
        assertEquals(ErrorCode.TOO_LARGE, f.code());
        // Three-byte characters: under the limit in chars, over it in bytes.
        String wide = "{\"type\":\"offer\",\"callId\":\"c\",\"to\":\"bob\",\"sdp\":\"" + "€".repeat(400) + "\"}";
        assertEquals(ErrorCode.TOO_LARGE, ((DecodeResult.Failure) small.decode(wide)).code());
    }

    @Test
    void decodingNeverThrowsOnGarbage() {
        java.util.Random random = new java.util.Random(7);
        List<String> seeds = new ArrayList<>();
        oneOfEachType().forEach(m -> seeds.add(codec.encode(m)));
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && s.length() > 0; e++) {
                int at = random.nextInt(s.length());
                switch (random.nextInt(3)) {
                    case 0 -> s.deleteCharAt(at);
                    case 1 -> s.insert(at, "{}[]\":,0a\\-".charAt(random.nextInt(11)));
                    default -> s.setCharAt(at, (char) random.nextInt(128));
                }
            }
            assertNotNull(codec.decode(s.toString())); // must not throw
        }
    }

    @Test
    void secretsAreNotInToString() {
        assertTrue(!new Hello("alice", "hunter2", null, null, null).toString().contains("hunter2"));
        assertTrue(!new IceServer(List.of("turn:x"), "u", "pw").toString().contains("pw"));
    }

    private Message decoded(String text) {
        return assertInstanceOf(DecodeResult.Decoded.class, codec.decode(text), text).message();
    }

    private DecodeResult.Failure failure(String text) {
        return assertInstanceOf(DecodeResult.Failure.class, codec.decode(text), text);
    }
}
