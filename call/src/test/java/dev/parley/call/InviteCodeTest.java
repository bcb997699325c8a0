package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.Accept;
import dev.parley.signaling.protocol.Answer;
import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.Offer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Invite codes round-trip, and every bad paste — damaged, cut, another version's, expired, hostile — says why. */
class InviteCodeTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String SDP = "v=0\r\no=- 1 2 IN IP4 198.18.0.1\r\ns=-\r\n" + "a=x:filler\r\n".repeat(200);

    private static InviteCode invite(String callId) {
        List<CallMessage> m = List.of(
                new Invite(callId, "alice", "friend", Set.of(MediaKind.AUDIO, MediaKind.VIDEO)),
                new Offer(callId, "alice", "friend", SDP),
                new Candidate(
                        callId, "alice", "friend", "0", 0, "candidate:1 1 udp 1 198.18.0.1 5000 typ host", false));
        return new InviteCode(InviteCode.Kind.INVITE, "alice", NOW.plus(InviteCode.DEFAULT_TTL), m);
    }

    private static InviteCode.BadCode bad(String text) {
        return assertThrows(InviteCode.BadCode.class, () -> InviteCode.parse(text, CLOCK));
    }

    /** A code whose JSON is whatever a hostile sender likes, packed as Parley packs it. */
    private static String packed(String json) {
        return InviteCode.pack(json);
    }

    @Test
    void aCodeRoundTripsAndSurvivesAMailProgramsLineBreaks() throws Exception {
        InviteCode code = invite("c1");
        String text = code.text();
        assertTrue(text.startsWith("parley-1."), text);
        assertTrue(text.length() < SDP.length() / 2, "compressed: " + text.length() + " characters");
        InviteCode read = InviteCode.parse(text, CLOCK);
        assertEquals(code, read);
        String wrapped = text.replaceAll("(.{60})", "$1\n  ");
        assertEquals(code, InviteCode.parse(" " + wrapped + "\n", CLOCK));
    }

    @Test
    void aDamagedOrCutCodeSaysSo() {
        String text = invite("c1").text();
        String cut = text.substring(0, text.length() - 12);
        assertEquals(InviteCode.BadCode.Reason.DAMAGED, bad(cut).reason());
        char[] chars = text.toCharArray();
        int at = chars.length / 2;
        chars[at] = chars[at] == 'A' ? 'B' : 'A';
        assertEquals(InviteCode.BadCode.Reason.DAMAGED, bad(new String(chars)).reason());
        assertEquals(InviteCode.BadCode.Reason.DAMAGED, bad(text + "!").reason());
    }

    @Test
    void anotherVersionsCodeOrSomethingElseEntirelySaysWhichItIs() {
        String text = invite("c1").text();
        InviteCode.BadCode other = bad("parley-2." + text.substring("parley-1.".length()));
        assertEquals(InviteCode.BadCode.Reason.OTHER_VERSION, other.reason());
        assertTrue(other.getMessage().contains("version 2"), other.getMessage());
        assertEquals(
                InviteCode.BadCode.Reason.NOT_A_CODE,
                bad("https://example.org/join/123").reason());
        assertEquals(InviteCode.BadCode.Reason.NOT_A_CODE, bad("").reason());
        assertEquals(
                InviteCode.BadCode.Reason.NOT_A_CODE,
                bad("parley-1." + "A".repeat(70_000)).reason());
    }

    @Test
    void anExpiredCodeIsRefused() {
        String text = invite("c1").text();
        Clock later = Clock.fixed(NOW.plus(InviteCode.DEFAULT_TTL).plus(Duration.ofSeconds(1)), ZoneOffset.UTC);
        InviteCode.BadCode e = assertThrows(InviteCode.BadCode.class, () -> InviteCode.parse(text, later));
        assertEquals(InviteCode.BadCode.Reason.EXPIRED, e.reason());
    }

    @Test
    void aCodeThatUnpacksToMegabytesIsRefusedWithoutUnpackingThemAll() {
        String bomb = packed("{\"kind\":\"invite\",\"pad\":\"" + "0".repeat(20_000_000) + "\"}");
        assertTrue(bomb.length() < 64 * 1024, "the bomb itself is small: " + bomb.length());
        InviteCode.BadCode e = bad(bomb);
        assertEquals(InviteCode.BadCode.Reason.DAMAGED, e.reason());
        assertTrue(e.getMessage().contains("far more"), e.getMessage());
    }

    @Test
    void aHostileCodeGetsNoFurtherThanTheProtocolsOwnChecks() {
        long expires = NOW.plusSeconds(600).getEpochSecond();
        String invite = "{\\\"type\\\":\\\"invite\\\",\\\"v\\\":1,\\\"callId\\\":\\\"c1\\\",\\\"from\\\":\\\"a\\\","
                + "\\\"to\\\":\\\"b\\\",\\\"media\\\":[\\\"audio\\\"]}";
        String offer = "{\\\"type\\\":\\\"offer\\\",\\\"v\\\":1,\\\"callId\\\":\\\"c1\\\",\\\"from\\\":\\\"a\\\","
                + "\\\"to\\\":\\\"b\\\",\\\"sdp\\\":\\\"v=0\\\"}";
        String otherCall = offer.replace("c1", "c2");
        String hello = "{\\\"type\\\":\\\"hello\\\",\\\"v\\\":1,\\\"user\\\":\\\"a\\\"}";
        String badId = invite.replace("c1", "../../etc");
        String reveal = "{\\\"type\\\":\\\"verify\\\",\\\"v\\\":1,\\\"callId\\\":\\\"c1\\\",\\\"from\\\":\\\"a\\\","
                + "\\\"to\\\":\\\"b\\\",\\\"stage\\\":\\\"reveal\\\",\\\"value\\\":\\\"" + "ab".repeat(32) + "\\\"}";
        String commit = reveal.replace("reveal", "commit");
        // well-formed, to show the cases below fail for their own reason
        String fine = "{\"kind\":\"invite\",\"from\":\"alice\",\"expires\":" + expires + ",\"messages\":[\"" + invite
                + "\",\"" + offer + "\"]}";
        assertEquals("c1", assertOk(packed(fine)).callId());
        String withCommit = "{\"kind\":\"invite\",\"from\":\"alice\",\"expires\":" + expires + ",\"messages\":[\""
                + invite + "\",\"" + offer + "\",\"" + commit + "\"]}";
        assertEquals(3, assertOk(packed(withCommit)).messages().size(), "the caller's commitment may ride along");
        for (String messages : List.of(
                "\"" + invite + "\",\"" + otherCall + "\"", // two calls in one code
                "\"" + offer + "\",\"" + invite + "\"", // out of order
                "\"" + invite + "\"", // no offer
                "\"" + invite + "\",\"" + hello + "\"", // not a call message
                "\"" + badId + "\",\"" + offer + "\"", // a call id the protocol refuses
                "\"" + invite + "\",\"" + offer + "\",\"" + reveal + "\"")) { // a reveal: never part of a code
            String json = "{\"kind\":\"invite\",\"from\":\"alice\",\"expires\":" + expires + ",\"messages\":["
                    + messages + "]}";
            assertEquals(InviteCode.BadCode.Reason.DAMAGED, bad(packed(json)).reason(), messages);
        }
        String answerKind = fine.replace("\"kind\":\"invite\"", "\"kind\":\"answer\""); // an invite called an answer
        assertEquals(InviteCode.BadCode.Reason.DAMAGED, bad(packed(answerKind)).reason());
        String badName = fine.replace("\"from\":\"alice\"", "\"from\":\"Alice Smith\\n\"");
        assertEquals(InviteCode.BadCode.Reason.DAMAGED, bad(packed(badName)).reason());
        assertEquals(InviteCode.BadCode.Reason.DAMAGED, bad(packed("[1,2,3]")).reason());
    }

    @Test
    void anAnswerCodeHoldsAnAcceptAnAnswerAndCandidates() throws Exception {
        List<CallMessage> m = List.of(
                new Accept("c1", "bob", "friend"),
                new Answer("c1", "bob", "friend", SDP),
                new Candidate("c1", "bob", "friend", "0", 0, "candidate:1 1 udp 1 198.18.0.2 5000 typ host", false));
        InviteCode answer = new InviteCode(InviteCode.Kind.ANSWER, "bob", NOW.plusSeconds(60), m);
        assertEquals(answer, InviteCode.parse(answer.text(), CLOCK));
    }

    private static InviteCode assertOk(String text) {
        try {
            return InviteCode.parse(text, CLOCK);
        } catch (InviteCode.BadCode e) {
            throw new AssertionError("refused: " + e.getMessage(), e);
        }
    }
}
