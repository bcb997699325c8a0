package dev.parley.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec();

    /** The 25 wire type names of docs/PROTOCOL.md, section 3, written out here rather than taken from the codec. */
    private static final Map<String, Class<? extends Message>> WIRE_TYPES = Map.ofEntries(
            Map.entry("hello", Hello.class),
            Map.entry("welcome", Welcome.class),
            Map.entry("subscribe", Subscribe.class),
            Map.entry("presence", Presence.class),
            Map.entry("invite", Invite.class),
            Map.entry("ringing", Ringing.class),
            Map.entry("accept", Accept.class),
            Map.entry("decline", Decline.class),
            Map.entry("busy", Busy.class),
            Map.entry("cancel", Cancel.class),
            Map.entry("offer", Offer.class),
            Map.entry("answer", Answer.class),
            Map.entry("candidate", Candidate.class),
            Map.entry("hangup", Hangup.class),
            Map.entry("verify", Verify.class),
            Map.entry("error", ErrorMessage.class),
            Map.entry("ping", Ping.class),
            Map.entry("pong", Pong.class),
            Map.entry("contact-request", ContactRequest.class),
            Map.entry("contact-answer", ContactAnswer.class),
            Map.entry("contact-remove", ContactRemove.class),
            Map.entry("contacts", Contacts.class),
            Map.entry("link-create", LinkCreate.class),
            Map.entry("link-revoke", LinkRevoke.class),
            Map.entry("link", Link.class));

    private static String wireType(Class<?> type) {
        return WIRE_TYPES.entrySet().stream()
                .filter(e -> e.getValue() == type)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no wire type for " + type));
    }

    private static final String DEVICE = "5b0f4c1e-9a7d-4f0e-8c61-2d9e7a3b1f40";
    private static final String TOKEN = "YWxpY2U6MTcwMDA4NjQwMA.VU2R4hJ943hdUeNVQMEPbIIiYOyJeY39cpBrPLRB3Qw";
    private static final String CALL = "q8Zt3LrX0v";
    private static final String LINK = "uR7x0Qm2KcV9aT4nWb1ZsA";
    private static final String GUEST_TOKEN =
            "Z3Vlc3QtazNtOXEyeDdiNHQ4djZ3ZDoxNzAwMDg2NDAw.qv3rL0sdmB7t2yF8cPzWn1KjX4aYhE6uG9oTiVbQe5M";

    /**
     * Every JSON example of docs/PROTOCOL.md section 3, in the order it appears there, with the record it stands
     * for. The codec writes a fixed key order ("type", "v", then the fields in table order; PROTOCOL.md section
     * 1), so encoding must reproduce each text exactly.
     */
    static Stream<Arguments> documentedExamples() {
        return Stream.of(
                Arguments.of(
                        "{\"type\":\"hello\",\"v\":1,\"user\":\"alice\",\"password\":\"correct horse battery staple\",\"device\":\""
                                + DEVICE + "\",\"client\":\"parley/0.1\"}",
                        new Hello("alice", "correct horse battery staple", null, DEVICE, "parley/0.1")),
                Arguments.of(
                        "{\"type\":\"hello\",\"v\":1,\"user\":\"alice\",\"token\":\"" + TOKEN + "\",\"device\":\""
                                + DEVICE + "\",\"client\":\"parley/0.1\"}",
                        new Hello("alice", null, TOKEN, DEVICE, "parley/0.1")),
                Arguments.of(
                        "{\"type\":\"welcome\",\"v\":1,\"user\":\"alice\",\"device\":\"" + DEVICE
                                + "\",\"sessionId\":\"e3a1c9d2-6f47-4b8e-a0d5-91c2b7f3e610\",\"token\":\"" + TOKEN
                                + "\",\"tokenTtlSeconds\":86400,\"iceServers\":[{\"urls\":[\"stun:198.51.100.1:3478\"]},{\"urls\":[\"turn:198.51.100.1:3478?transport=udp\",\"turns:198.51.100.1:5349\"],\"username\":\"1700086400:alice\",\"credential\":\"soOAeAzOvs3WLgPbqxWnnoXVgro=\"}],\"pingIntervalSeconds\":20,\"server\":\"parley-server/0.1\"}",
                        new Welcome(
                                "alice",
                                DEVICE,
                                "e3a1c9d2-6f47-4b8e-a0d5-91c2b7f3e610",
                                TOKEN,
                                86400,
                                List.of(
                                        new IceServer(List.of("stun:198.51.100.1:3478"), null, null),
                                        new IceServer(
                                                List.of(
                                                        "turn:198.51.100.1:3478?transport=udp",
                                                        "turns:198.51.100.1:5349"),
                                                "1700086400:alice",
                                                "soOAeAzOvs3WLgPbqxWnnoXVgro=")),
                                20,
                                "parley-server/0.1")),
                Arguments.of(
                        "{\"type\":\"subscribe\",\"v\":1,\"users\":[\"bob\",\"carol\"]}",
                        new Subscribe(List.of("bob", "carol"))),
                Arguments.of(
                        "{\"type\":\"presence\",\"v\":1,\"status\":\"away\"}", new Presence(null, PresenceStatus.AWAY)),
                Arguments.of(
                        "{\"type\":\"presence\",\"v\":1,\"user\":\"bob\",\"status\":\"online\"}",
                        new Presence("bob", PresenceStatus.ONLINE)),
                Arguments.of(
                        "{\"type\":\"invite\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"to\":\"bob\",\"media\":[\"audio\",\"video\"]}",
                        new Invite(CALL, null, "bob", EnumSet.of(MediaKind.AUDIO, MediaKind.VIDEO))),
                Arguments.of(
                        "{\"type\":\"invite\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"alice\",\"to\":\"bob\",\"media\":[\"audio\",\"video\"]}",
                        new Invite(CALL, "alice", "bob", EnumSet.of(MediaKind.AUDIO, MediaKind.VIDEO))),
                Arguments.of(
                        "{\"type\":\"ringing\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"bob\",\"to\":\"alice\"}",
                        new Ringing(CALL, "bob", "alice")),
                Arguments.of(
                        "{\"type\":\"accept\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"bob\",\"to\":\"alice\"}",
                        new Accept(CALL, "bob", "alice")),
                Arguments.of(
                        "{\"type\":\"decline\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"bob\",\"to\":\"alice\",\"reason\":\"declined\"}",
                        new Decline(CALL, "bob", "alice", "declined")),
                Arguments.of(
                        "{\"type\":\"busy\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"bob\",\"to\":\"alice\"}",
                        new Busy(CALL, "bob", "alice")),
                Arguments.of(
                        "{\"type\":\"cancel\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"alice\",\"to\":\"bob\",\"reason\":\"caller-unavailable\"}",
                        new Cancel(CALL, "alice", "bob", "caller-unavailable")),
                Arguments.of(
                        "{\"type\":\"offer\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"alice\",\"to\":\"bob\",\"sdp\":\"v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\na=group:BUNDLE 0 1\\r\\n...\"}",
                        new Offer(
                                CALL,
                                "alice",
                                "bob",
                                "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n...")),
                Arguments.of(
                        "{\"type\":\"answer\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"bob\",\"to\":\"alice\",\"sdp\":\"v=0\\r\\no=- 7301234569820154873 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\na=group:BUNDLE 0 1\\r\\n...\"}",
                        new Answer(
                                CALL,
                                "bob",
                                "alice",
                                "v=0\r\no=- 7301234569820154873 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n...")),
                Arguments.of(
                        "{\"type\":\"candidate\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"alice\",\"to\":\"bob\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"candidate\":\"candidate:842163049 1 udp 1677729535 203.0.113.7 54321 typ srflx raddr 198.18.0.12 rport 54321 generation 0\",\"endOfCandidates\":false}",
                        new Candidate(
                                CALL,
                                "alice",
                                "bob",
                                "0",
                                0,
                                "candidate:842163049 1 udp 1677729535 203.0.113.7 54321 typ srflx raddr 198.18.0.12 rport 54321 generation 0",
                                false)),
                Arguments.of(
                        "{\"type\":\"candidate\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"bob\",\"to\":\"alice\",\"sdpMLineIndex\":0,\"endOfCandidates\":true}",
                        new Candidate(CALL, "bob", "alice", null, 0, null, true)),
                Arguments.of(
                        "{\"type\":\"hangup\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"alice\",\"to\":\"bob\",\"reason\":\"hung-up\"}",
                        new Hangup(CALL, "alice", "bob", "hung-up")),
                Arguments.of(
                        "{\"type\":\"verify\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"alice\",\"to\":\"bob\",\"stage\":\"commit\",\"value\":\"1e2a47b5c3d9f08a6b7c4d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a\"}",
                        new Verify(
                                CALL,
                                "alice",
                                "bob",
                                "commit",
                                "1e2a47b5c3d9f08a6b7c4d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a")),
                Arguments.of(
                        "{\"type\":\"verify\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"bob\",\"to\":\"alice\",\"stage\":\"nonce\",\"value\":\"9c1f5e7a2b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a\"}",
                        new Verify(
                                CALL,
                                "bob",
                                "alice",
                                "nonce",
                                "9c1f5e7a2b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a")),
                Arguments.of(
                        "{\"type\":\"verify\",\"v\":1,\"callId\":\"q8Zt3LrX0v\",\"from\":\"alice\",\"to\":\"bob\",\"stage\":\"reveal\",\"value\":\"4f3e2d1c0b0a99887766554433221100ffeeddccbbaa00112233445566778899\"}",
                        new Verify(
                                CALL,
                                "alice",
                                "bob",
                                "reveal",
                                "4f3e2d1c0b0a99887766554433221100ffeeddccbbaa00112233445566778899")),
                Arguments.of(
                        "{\"type\":\"error\",\"v\":1,\"code\":\"unavailable\",\"message\":\"bob is not signed in\",\"inReplyTo\":\"invite\",\"callId\":\"q8Zt3LrX0v\"}",
                        new ErrorMessage(ErrorCode.UNAVAILABLE, "bob is not signed in", "invite", CALL)),
                Arguments.of("{\"type\":\"ping\",\"v\":1,\"nonce\":81234567890123}", new Ping(81234567890123L)),
                Arguments.of("{\"type\":\"pong\",\"v\":1,\"nonce\":81234567890123}", new Pong(81234567890123L)),
                Arguments.of(
                        "{\"type\":\"contact-request\",\"v\":1,\"from\":\"alice\",\"to\":\"bob\"}",
                        new ContactRequest("alice", "bob")),
                Arguments.of(
                        "{\"type\":\"contact-answer\",\"v\":1,\"from\":\"bob\",\"to\":\"alice\",\"accept\":true}",
                        new ContactAnswer("bob", "alice", true)),
                Arguments.of(
                        "{\"type\":\"contact-remove\",\"v\":1,\"from\":\"alice\",\"to\":\"bob\"}",
                        new ContactRemove("alice", "bob")),
                Arguments.of(
                        "{\"type\":\"contacts\",\"v\":1,\"accepted\":[\"bob\"],\"incoming\":[\"carol\"],\"outgoing\":[\"dave\"]}",
                        new Contacts(List.of("bob"), List.of("carol"), List.of("dave"))),
                Arguments.of("{\"type\":\"link-create\",\"v\":1,\"ttlSeconds\":86400}", new LinkCreate(86400)),
                Arguments.of(
                        "{\"type\":\"link\",\"v\":1,\"token\":\"" + LINK
                                + "\",\"expiresAt\":1700086400,\"revoked\":false}",
                        new Link(LINK, 1700086400L, false)),
                Arguments.of("{\"type\":\"link-revoke\",\"v\":1,\"token\":\"" + LINK + "\"}", new LinkRevoke(LINK)),
                Arguments.of(
                        "{\"type\":\"hello\",\"v\":1,\"device\":\"web-6f1c2a9e\",\"client\":\"parley-web/0.1\",\"link\":\""
                                + LINK + "\",\"name\":\"Ann Lee\"}",
                        Hello.guest(LINK, "Ann Lee", "web-6f1c2a9e", "parley-web/0.1")),
                Arguments.of(
                        "{\"type\":\"welcome\",\"v\":1,\"user\":\"guest-k3m9q2x7b4t8v6wd\",\"device\":\"web-6f1c2a9e\","
                                + "\"sessionId\":\"0c9e2f4a-1b3d-4e5f-8a7b-6c5d4e3f2a1b\",\"token\":\"" + GUEST_TOKEN
                                + "\",\"tokenTtlSeconds\":86400,\"iceServers\":[],"
                                + "\"pingIntervalSeconds\":20,\"server\":\"parley-server/0.1\",\"guestOf\":\"bob\"}",
                        new Welcome(
                                "guest-k3m9q2x7b4t8v6wd",
                                "web-6f1c2a9e",
                                "0c9e2f4a-1b3d-4e5f-8a7b-6c5d4e3f2a1b",
                                GUEST_TOKEN,
                                86400,
                                List.of(),
                                20,
                                "parley-server/0.1",
                                "bob")),
                Arguments.of(
                        "{\"type\":\"invite\",\"v\":1,\"callId\":\"g7Hk2pQw9z\",\"from\":\"guest-k3m9q2x7b4t8v6wd\","
                                + "\"to\":\"bob\",\"media\":[\"audio\",\"video\"],\"guest\":\"Ann Lee\"}",
                        new Invite(
                                "g7Hk2pQw9z",
                                "guest-k3m9q2x7b4t8v6wd",
                                "bob",
                                Set.of(MediaKind.AUDIO, MediaKind.VIDEO),
                                "Ann Lee")));
    }

    @ParameterizedTest
    @MethodSource("documentedExamples")
    void theDocumentedExampleDecodesToItsMessage(String json, Message expected) {
        assertEquals(expected, decoded(json));
    }

    @ParameterizedTest
    @MethodSource("documentedExamples")
    void theMessageEncodesToExactlyTheDocumentedExample(String json, Message message) {
        assertEquals(json, codec.encode(message));
    }

    @Test
    void theGoldenExamplesAreTheOnesInProtocolMdAndCoverEveryType() throws IOException {
        List<String> golden = documentedExamples().map(a -> (String) a.get()[0]).toList();
        assertEquals(golden, protocolMdSection3Examples(), "docs/PROTOCOL.md section 3 and this test disagree");
        Set<String> typesShown = new HashSet<>();
        documentedExamples().forEach(a -> typesShown.add(wireType(a.get()[1].getClass())));
        assertEquals(WIRE_TYPES.keySet(), typesShown);
    }

    /** The lines of the ```json blocks between "## 3. Messages" and "## 4." of docs/PROTOCOL.md. */
    private static List<String> protocolMdSection3Examples() throws IOException {
        Path doc = Path.of(System.getProperty("basedir", "."))
                .resolve("../docs/PROTOCOL.md")
                .normalize();
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        List<String> examples = new ArrayList<>();
        boolean inSection = false;
        boolean inJson = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inSection = line.startsWith("## 3. ");
            } else if (inSection && line.equals("```json")) {
                inJson = true;
            } else if (inSection && inJson && line.equals("```")) {
                inJson = false;
            } else if (inSection && inJson && !line.isBlank()) {
                examples.add(line);
            }
        }
        return examples;
    }

    static Stream<Message> oneOfEachType() {
        return Stream.of(
                new Hello("alice", "s3cret", null, "dev-1", "parley/test"),
                new Hello(null, null, "tok.en", null, null),
                new Welcome(
                        "alice",
                        "dev-1",
                        "s-1",
                        "tok",
                        86400,
                        List.of(
                                new IceServer(List.of("stun:stun.example.org:3478"), null, null),
                                new IceServer(
                                        List.of(
                                                "turn:turn.example.org:3478?transport=udp",
                                                "turns:turn.example.org:5349"),
                                        "1700000000:alice",
                                        "c2VjcmV0")),
                        20,
                        "parley-server/0.1"),
                new Subscribe(List.of("bob", "carol")),
                new Presence("bob", PresenceStatus.AWAY),
                new Presence(null, PresenceStatus.ONLINE),
                new Invite("c-1", "alice", "bob", Set.of(MediaKind.AUDIO, MediaKind.VIDEO)),
                new Ringing("c-1", "bob", "alice"),
                new Accept("c-1", "bob", "alice"),
                new Decline("c-1", "bob", "alice", "declined"),
                new Busy("c-1", "bob", "alice"),
                new Cancel("c-1", "alice", "bob", (String) null),
                new Offer("c-1", "alice", "bob", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n\"quoted\" ünïcode"),
                new Answer("c-1", "bob", "alice", "v=0\r\n"),
                new Candidate(
                        "c-1",
                        "alice",
                        "bob",
                        "0",
                        0,
                        "candidate:1 1 udp 2122260223 198.18.0.1 54321 typ host generation 0",
                        false),
                Candidate.end("c-1", "bob"),
                new Hangup("c-1", "bob", "alice", "hangup"),
                new Verify("c-1", "alice", "bob", "commit", "0123456789abcdef".repeat(4)),
                new ErrorMessage(ErrorCode.UNAVAILABLE, "bob is not signed in", "invite", "c-1"),
                new ErrorMessage(ErrorCode.RATE_LIMITED, "too many failed sign-ins", "hello", null, 30),
                new Ping(42),
                new Pong(-7),
                new ContactRequest(null, "bob"),
                new ContactAnswer("bob", "alice", false),
                new ContactRemove(null, "carol"),
                new Contacts(List.of(), List.of("erin"), List.of("frank", "grace")),
                new LinkCreate(0),
                new LinkRevoke(LINK),
                new Link(LINK, 1_700_000_000L, true),
                Hello.guest(LINK, "Ünïcode Ann 😀", "dev-2", null),
                new Invite("c-2", "guest-ab", "bob", Set.of(MediaKind.AUDIO), "Ann"));
    }

    @Test
    void aGuestHelloHasALinkAndANameAndNoUserOrPassword() {
        String ok = "{\"type\":\"hello\",\"v\":1,\"link\":\"" + LINK + "\",\"name\":\"Ann\"}";
        assertInstanceOf(DecodeResult.Decoded.class, codec.decode(ok));
        String again = ok.replace("\"v\":1,", "\"v\":1,\"token\":\"t.t\",");
        assertEquals(
                Hello.guestAgain(LINK, "Ann", "t.t", null, null),
                assertInstanceOf(DecodeResult.Decoded.class, codec.decode(again))
                        .message(),
                "a guest signing in again");
        for (String bad : List.of(
                ok.replace(",\"name\":\"Ann\"", ""),
                ok.replace("\"Ann\"", "\"   \""),
                ok.replace("\"Ann\"", "\"" + "a".repeat(65) + "\""),
                ok.replace("Ann", "Ann\\nroot: signed in"),
                ok.replace("Ann", "Ann\u202Enimda"),
                ok.replace("Ann", "Ann\u2028x"),
                ok.replace("Ann", "Ann\\u0007"),
                ok.replace(LINK, "short"),
                ok.replace(LINK, LINK.substring(0, 10) + "/../" + LINK.substring(10)),
                ok.replace("{\"type\":\"hello\",\"v\":1,", "{\"type\":\"hello\",\"v\":1,\"user\":\"bob\","),
                ok.replace("{\"type\":\"hello\",\"v\":1,", "{\"type\":\"hello\",\"v\":1,\"password\":\"x\","),
                "{\"type\":\"hello\",\"v\":1,\"user\":\"bob\",\"name\":\"Ann\"}",
                "{\"type\":\"invite\",\"v\":1,\"callId\":\"c\",\"to\":\"bob\",\"media\":[\"audio\"],\"guest\":\"A\\rB\"}",
                "{\"type\":\"link-create\",\"v\":1,\"ttlSeconds\":-1}",
                "{\"type\":\"link-revoke\",\"v\":1}")) {
            DecodeResult.Failure f = assertInstanceOf(DecodeResult.Failure.class, codec.decode(bad), bad);
            assertEquals(ErrorCode.INVALID_MESSAGE, f.code(), bad);
        }
    }

    @ParameterizedTest
    @MethodSource("oneOfEachType")
    void everyMessageSurvivesARoundTrip(Message message) {
        String json = codec.encode(message);
        DecodeResult result = codec.decode(json);
        Message back =
                assertInstanceOf(DecodeResult.Decoded.class, result, json).message();
        assertEquals(message, back);
        assertTrue(json.startsWith("{\"type\":\"" + wireType(message.getClass()) + "\",\"v\":1"), json);
    }

    @Test
    void aVerifyStepMustBeAKnownStageWith256BitsOfLowerCaseHex() {
        String ok = "{\"type\":\"verify\",\"v\":1,\"callId\":\"c\",\"to\":\"bob\",\"stage\":\"nonce\",\"value\":\""
                + "ab".repeat(32) + "\"}";
        assertInstanceOf(DecodeResult.Decoded.class, codec.decode(ok));
        for (String bad : List.of(
                ok.replace("nonce", "guess"),
                ok.replace("ab".repeat(32), "AB".repeat(32)),
                ok.replace("ab".repeat(32), "ab".repeat(31)),
                ok.replace("ab".repeat(32), "ab".repeat(33)),
                ok.replace("\"stage\":\"nonce\",", ""))) {
            DecodeResult.Failure f = assertInstanceOf(DecodeResult.Failure.class, codec.decode(bad), bad);
            assertEquals(ErrorCode.INVALID_MESSAGE, f.code(), bad);
        }
    }

    @Test
    void theRoundTripCasesCoverEveryMessageType() {
        Set<Class<?>> covered = new HashSet<>();
        oneOfEachType().forEach(m -> covered.add(m.getClass()));
        Set<Class<?>> all = new HashSet<>();
        collectLeaves(Message.class, all);
        assertEquals(all, covered);
        assertEquals(all, new HashSet<>(WIRE_TYPES.values()));
    }

    @Test
    void theCodecKnowsExactlyTheTwentyFiveWireTypes() {
        assertEquals(25, WIRE_TYPES.size());
        assertEquals(WIRE_TYPES, MessageCodec.types());
        WIRE_TYPES.forEach((name, type) -> assertEquals(name, MessageCodec.typeOf(type)));
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
        String json = codec.encode(new Cancel("c-1", null, "bob", (String) null));
        assertEquals("{\"type\":\"cancel\",\"v\":1,\"callId\":\"c-1\",\"to\":\"bob\"}", json);
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() {
        Message m = decoded("{\"type\":\"ringing\",\"v\":1,\"callId\":\"c\",\"to\":\"bob\",\"newField\":[1,2]}");
        assertEquals(new Ringing("c", null, "bob"), m);
    }

    @Test
    void fieldOrderDoesNotMatter() {
        assertEquals(
                new Ringing("c", null, "bob"),
                decoded("{\"to\":\"bob\",\"v\":1,\"callId\":\"c\",\"type\":\"ringing\"}"));
        // A canonical-looking prefix with a bad body still gets the precise error.
        DecodeResult.Failure f = failure("{\"type\":\"ringing\",\"v\":1,\"callId\":\"c\"}");
        assertEquals(ErrorCode.INVALID_MESSAGE, f.code());
        assertTrue(f.reason().contains("'to'"), f.reason());
        assertEquals(
                ErrorCode.BAD_JSON,
                failure("{\"type\":\"ping\",\"v\":1,\"nonce\":1} {}").code());
    }

    @Test
    void aMissingVersionMeansTheCurrentOne() {
        assertEquals(new Ping(1), decoded("{\"type\":\"ping\",\"nonce\":1}"));
    }

    private static final String MALFORMED = "malformed JSON: ";

    static Stream<Arguments> malformedJson() {
        String malformed = MALFORMED;
        String notAnObject = "a message must be a JSON object";
        return Stream.of(
                Arguments.of("", "empty message"),
                Arguments.of("not json", malformed),
                Arguments.of("{", malformed),
                Arguments.of("{\"type\":\"ping\"", malformed),
                Arguments.of("[1,2]", notAnObject),
                Arguments.of("\"ping\"", notAnObject),
                Arguments.of("42", notAnObject),
                Arguments.of("null", notAnObject),
                Arguments.of("{\"type\":\"ping\"} trailing", malformed),
                Arguments.of("{'type':'ping'}", malformed),
                Arguments.of("{\"type\":\"ping\",}", malformed));
    }

    @ParameterizedTest
    @MethodSource("malformedJson")
    void malformedJsonIsABadJsonFailure(String text, String reasonStart) {
        DecodeResult.Failure f = failure(text);
        assertEquals(ErrorCode.BAD_JSON, f.code(), f.reason());
        assertTrue(f.reason().startsWith(reasonStart), () -> "'" + f.reason() + "' should start with " + reasonStart);
        if (reasonStart.equals(MALFORMED)) {
            assertTrue(f.reason().length() > MALFORMED.length(), "the reason should say what is malformed");
        }
        assertNull(f.type(), "no type can be read from malformed JSON");
        assertNull(f.callId());
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
        DecodeResult.Failure g =
                failure("{\"type\":\"ringing\",\"callId\":\"" + "c".repeat(100) + "\",\"to\":\"bob\"}");
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
        assertEquals(
                ErrorCode.INVALID_MESSAGE,
                failure("{\"type\":\"ping\",\"v\":\"1\",\"nonce\":1}").code());
    }

    static Stream<String[]> invalidMessages() {
        return Stream.of(
                new String[] {"{\"type\":\"invite\",\"callId\":\"c\",\"media\":[\"audio\"]}", "'to'"},
                new String[] {"{\"type\":\"invite\",\"callId\":\"c\",\"to\":\"bob\",\"media\":[]}", "media"},
                new String[] {"{\"type\":\"invite\",\"callId\":\"c\",\"to\":\"bob\",\"media\":[\"smell\"]}", "smell"},
                new String[] {
                    "{\"type\":\"invite\",\"callId\":\"c\",\"to\":5,\"media\":[\"audio\"]}", "'to' must be a string"
                },
                new String[] {
                    "{\"type\":\"invite\",\"callId\":\"c\",\"to\":\"Bob!\",\"media\":[\"audio\"]}", "user name"
                },
                new String[] {"{\"type\":\"offer\",\"callId\":\"c\",\"to\":\"bob\"}", "'sdp'"},
                new String[] {
                    "{\"type\":\"offer\",\"callId\":\"c\",\"to\":\"bob\",\"sdp\":{}}", "'sdp' must be a string"
                },
                new String[] {"{\"type\":\"offer\",\"callId\":\"no spaces\",\"to\":\"bob\",\"sdp\":\"x\"}", "callId"},
                new String[] {
                    "{\"type\":\"candidate\",\"callId\":\"c\",\"to\":\"bob\",\"sdpMLineIndex\":\"0\",\"candidate\":\"x\"}",
                    "integer"
                },
                new String[] {
                    "{\"type\":\"candidate\",\"callId\":\"c\",\"to\":\"bob\",\"sdpMLineIndex\":1.5,\"candidate\":\"x\"}",
                    "integer"
                },
                new String[] {
                    "{\"type\":\"candidate\",\"callId\":\"c\",\"to\":\"bob\",\"sdpMLineIndex\":0}", "'candidate'"
                },
                new String[] {
                    "{\"type\":\"candidate\",\"callId\":\"c\",\"to\":\"bob\",\"candidate\":\"x\",\"endOfCandidates\":\"yes\"}",
                    "true or false"
                },
                new String[] {"{\"type\":\"presence\",\"status\":\"sleeping\"}", "sleeping"},
                new String[] {"{\"type\":\"presence\"}", "'status'"},
                new String[] {"{\"type\":\"hello\",\"password\":\"x\"}", "'user'"},
                // device and client end up in the server's log: nothing that could break or disguise a line
                new String[] {"{\"type\":\"hello\",\"user\":\"a\",\"device\":\"d\\n12:00 INFO forged\"}", "'device'"},
                new String[] {"{\"type\":\"hello\",\"user\":\"a\",\"device\":\"\"}", "'device'"},
                new String[] {"{\"type\":\"hello\",\"user\":\"a\",\"device\":\"" + "d".repeat(65) + "\"}", "'device'"},
                new String[] {"{\"type\":\"hello\",\"user\":\"a\",\"client\":\"x\\u001b[2K\"}", "'client'"},
                new String[] {"{\"type\":\"hello\",\"user\":\"a\",\"client\":\"x\\u2028y\"}", "'client'"},
                new String[] {"{\"type\":\"ping\",\"nonce\":\"one\"}", "integer"},
                new String[] {"{\"type\":\"subscribe\",\"users\":\"bob\"}", "users"},
                new String[] {"{\"type\":\"error\",\"message\":\"x\"}", "'code'"});
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
        DecodeResult.Failure f = assertInstanceOf(
                DecodeResult.Failure.class, small.decode(codec.encode(new Offer("c", null, "bob", sdp))));
        assertEquals(ErrorCode.TOO_LARGE, f.code());
        // Three-byte characters: under the limit in chars, over it in bytes.
        String wide = "{\"type\":\"offer\",\"callId\":\"c\",\"to\":\"bob\",\"sdp\":\"" + "€".repeat(400) + "\"}";
        assertEquals(ErrorCode.TOO_LARGE, ((DecodeResult.Failure) small.decode(wide)).code());
    }

    @Test
    void garbageDecodesToAValidMessageOrToADecodingFailureWithoutThrowing() {
        Random random = new Random(7);
        List<String> seeds = new ArrayList<>();
        oneOfEachType().forEach(m -> seeds.add(codec.encode(m)));
        Set<ErrorCode> decodingCodes = EnumSet.of(
                ErrorCode.BAD_JSON,
                ErrorCode.INVALID_MESSAGE,
                ErrorCode.UNKNOWN_TYPE,
                ErrorCode.UNSUPPORTED_VERSION,
                ErrorCode.TOO_LARGE);
        Map<ErrorCode, Integer> failures = new EnumMap<>(ErrorCode.class);
        int decodedCount = 0;
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
            String text = s.toString();
            DecodeResult result = assertDoesNotThrow(() -> codec.decode(text), text);
            if (result instanceof DecodeResult.Decoded d) {
                // Whatever decodes is a valid message: it survives its own encoding unchanged.
                assertEquals(d.message(), decoded(codec.encode(d.message())), text);
                decodedCount++;
            } else {
                DecodeResult.Failure f = assertInstanceOf(DecodeResult.Failure.class, result, text);
                assertTrue(decodingCodes.contains(f.code()), () -> f.code() + " for " + text);
                assertFalse(f.reason().isBlank(), text);
                // The failure fits an error message (type and callId at most 64, reason at most 1024).
                ErrorMessage error = assertDoesNotThrow(f::toErrorMessage, text);
                assertEquals(f.code(), error.code());
                failures.merge(f.code(), 1, Integer::sum);
            }
        }
        // The edits must exercise both outcomes and several kinds of failure, or the loop proves little.
        assertTrue(decodedCount > 0, "no mutated text decoded");
        assertTrue(
                failures.keySet()
                        .containsAll(Set.of(ErrorCode.BAD_JSON, ErrorCode.INVALID_MESSAGE, ErrorCode.UNKNOWN_TYPE)),
                failures::toString);
    }

    @Test
    void secretsAreNotInToString() {
        assertFalse(new Hello("alice", "hunter2", null, null, null).toString().contains("hunter2"));
        assertFalse(new IceServer(List.of("turn:x"), "u", "pw").toString().contains("pw"));
    }

    private Message decoded(String text) {
        return assertInstanceOf(DecodeResult.Decoded.class, codec.decode(text), text)
                .message();
    }

    private DecodeResult.Failure failure(String text) {
        return assertInstanceOf(DecodeResult.Failure.class, codec.decode(text), text);
    }
}
