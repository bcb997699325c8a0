package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The data channel's messages: each one round-trips, and what a hostile peer bends out of shape is dropped. */
class PeerMessagesTest {
    private static final String HASH = "ab".repeat(32);

    @Test
    void fileMessagesRoundTrip() {
        PeerMessages.FileOffer offer =
                new PeerMessages.FileOffer("t-1_x", "report (final).pdf", 123_456_789_012L, "application/pdf", HASH);
        assertEquals(offer, PeerMessages.decode(PeerMessages.fileOffer(offer)));
        PeerMessages.FileOffer windowed = new PeerMessages.FileOffer("t2", "a.txt", 5, "text/plain", HASH, true, false);
        assertEquals(windowed, PeerMessages.decode(PeerMessages.fileOffer(windowed)));
        PeerMessages.FileOffer linked = new PeerMessages.FileOffer("t3", "b.txt", 5, "text/plain", HASH, true, true);
        assertEquals(linked, PeerMessages.decode(PeerMessages.fileOffer(linked)));
        assertEquals(
                new PeerMessages.FileAnswer("t-1_x", true),
                PeerMessages.decode(PeerMessages.fileAnswer("t-1_x", true)));
        assertEquals(
                new PeerMessages.FileAnswer("t-1_x", false),
                PeerMessages.decode(PeerMessages.fileAnswer("t-1_x", false)));
        assertEquals(
                new PeerMessages.FileAnswer("t-1_x", true, 16L << 20, false),
                PeerMessages.decode(PeerMessages.fileAnswer("t-1_x", true, 16L << 20, false)));
        assertEquals(
                new PeerMessages.FileAnswer("t-1_x", true, 8L << 20, true),
                PeerMessages.decode(PeerMessages.fileAnswer("t-1_x", true, 8L << 20, true)));
        assertEquals(
                new PeerMessages.FileCancel("t-1_x", "cancelled by bob"),
                PeerMessages.decode(PeerMessages.fileCancel("t-1_x", "cancelled by bob")));
        assertEquals(
                new PeerMessages.FileReceived("t-1_x", false, "hash mismatch"),
                PeerMessages.decode(PeerMessages.fileReceived("t-1_x", false, "hash mismatch")));
        assertEquals(
                new PeerMessages.FileReceived("t-1_x", true, null),
                PeerMessages.decode(PeerMessages.fileReceived("t-1_x", true, null)));
        assertEquals(
                new PeerMessages.FileOffer("a", "x", 0, "", HASH),
                PeerMessages.decode(
                        "{\"type\":\"file-offer\",\"id\":\"a\",\"name\":\"x\",\"size\":0,\"sha256\":\"" + HASH + "\"}"),
                "no type given: empty");
    }

    @Test
    void fileLinkMessagesRoundTripAndBentOnesAreDropped() {
        String sdp =
                "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n";
        assertEquals(
                new PeerMessages.LinkDescription(true, sdp, false),
                PeerMessages.decode(PeerMessages.linkDescription(true, sdp, false)));
        assertEquals(
                new PeerMessages.LinkDescription(true, sdp, true),
                PeerMessages.decode(PeerMessages.linkDescription(true, sdp, true)));
        assertEquals(
                new PeerMessages.LinkDescription(false, sdp, false),
                PeerMessages.decode(PeerMessages.linkDescription(false, sdp, false)));
        assertEquals(
                new PeerMessages.LinkDescription(false, sdp, true),
                PeerMessages.decode(PeerMessages.linkDescription(false, sdp, true)),
                "an answer echoes its offer's tcp");
        assertEquals(
                new PeerMessages.LinkDescription(true, "v=0", false),
                PeerMessages.decode("{\"type\":\"file-link\",\"sdpType\":\"offer\",\"sdp\":\"v=0\"}"),
                "no tcp given (an older Parley): UDP");
        String candidate = "candidate:1 1 udp 2122260223 198.18.0.1 40000 typ host";
        assertEquals(
                new PeerMessages.LinkCandidate(true, "0", 0, candidate),
                PeerMessages.decode(PeerMessages.linkCandidate(true, "0", 0, candidate)));
        assertEquals(
                new PeerMessages.LinkCandidate(false, "0", 0, candidate),
                PeerMessages.decode(PeerMessages.linkCandidate(false, "0", 0, candidate)));
        for (String bent : List.of(
                "{\"type\":\"file-link\",\"sdpType\":\"pranswer\",\"sdp\":\"v=0\"}",
                "{\"type\":\"file-link\",\"sdpType\":\"offer\"}",
                "{\"type\":\"file-link\",\"sdpType\":\"offer\",\"sdp\":\"v=0\",\"tcp\":\"yes\"}",
                "{\"type\":\"file-link\",\"sdpType\":\"offer\",\"sdp\":\"" + "x".repeat(FileLinks.MAX_SDP_CHARS + 1)
                        + "\"}",
                "{\"type\":\"file-link-candidate\",\"from\":\"someone\",\"mid\":\"0\",\"index\":0,\"candidate\":\"c\"}",
                "{\"type\":\"file-link-candidate\",\"from\":\"offerer\",\"mid\":\"0\",\"index\":64,\"candidate\":\"c\"}",
                "{\"type\":\"file-link-candidate\",\"from\":\"offerer\",\"mid\":\"0\",\"index\":0.5,\"candidate\":\"c\"}",
                "{\"type\":\"file-link-candidate\",\"from\":\"offerer\",\"mid\":\"0\",\"index\":1e12,\"candidate\":\"c\"}",
                "{\"type\":\"file-link-candidate\",\"from\":\"offerer\",\"index\":0,\"candidate\":\"c\"}",
                "{\"type\":\"file-link-candidate\",\"from\":\"offerer\",\"mid\":\"0\",\"index\":0,\"candidate\":\""
                        + "c".repeat(1001) + "\"}",
                "{\"type\":\"file-answer\",\"id\":\"t1\",\"accept\":true,\"link\":\"yes\"}",
                "{\"type\":\"file-offer\",\"id\":\"a\",\"name\":\"x\",\"size\":0,\"sha256\":\"" + HASH
                        + "\",\"link\":1}")) {
            assertNull(PeerMessages.decode(bent), bent);
        }
    }

    /** A file link's description carries data sections only: a media section is refused before libwebrtc sees it. */
    @Test
    void aFileLinkTakesDataOnly() {
        String head = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
        assertNull(
                FileLinks.dataOnly(head + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"));
        assertNotNull(FileLinks.dataOnly(
                head + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"));
        assertNotNull(FileLinks.dataOnly(head + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"));
        assertNotNull(FileLinks.dataOnly("not a description"));
        assertNotNull(FileLinks.dataOnly(head + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" + "a=x:"
                + "y".repeat(FileLinks.MAX_SDP_CHARS) + "\r\n"));
    }

    @Test
    void answersWithAWindowOutOfBoundsAreDropped() {
        String answer = "{\"type\":\"file-answer\",\"id\":\"t1\",\"accept\":true,\"window\":";
        assertEquals(
                new PeerMessages.FileAnswer("t1", true, 4L << 20, false),
                PeerMessages.decode(answer + (4 << 20) + "}"));
        assertEquals(
                new PeerMessages.FileAnswer("t1", true, 64L << 20, false),
                PeerMessages.decode(answer + (64 << 20) + "}"));
        for (String bent : List.of(
                "0",
                "-1",
                String.valueOf((4 << 20) - 1),
                String.valueOf(1 << 20),
                String.valueOf((64L << 20) + 1),
                "1e300",
                "1048576.5",
                "\"16777216\"",
                "null",
                "{}")) {
            assertNull(PeerMessages.decode(answer + bent + "}"), bent);
        }
    }

    @Test
    void offersBentOutOfShapeAreDropped() {
        String good = "\"id\":\"t1\",\"name\":\"x.bin\",\"size\":10,\"sha256\":\"" + HASH + "\"";
        assertEquals(
                PeerMessages.FileOffer.class,
                PeerMessages.decode("{\"type\":\"file-offer\"," + good + "}").getClass());
        for (String bent : List.of(
                good.replace("\"size\":10", "\"size\":-1"),
                good.replace("\"size\":10", "\"size\":10.5"),
                good.replace("\"size\":10", "\"size\":\"10\""),
                good.replace("\"size\":10", "\"size\":1e300"),
                good.replace("\"size\":10", "\"size\":9007199254740992"), // 2^53: not exact in every peer's JSON
                good.replace("\"size\":10,", ""),
                good.replace("\"t1\"", "\"../../x\""),
                good.replace("\"t1\"", "\"" + "a".repeat(65) + "\""),
                good.replace("\"t1\"", "7"),
                good.replace("\"x.bin\"", "\"\""),
                good.replace("\"x.bin\"", "\"" + "n".repeat(PeerMessages.MAX_NAME_CHARS + 1) + "\""),
                good.replace("\"x.bin\"", "{}"),
                good.replace(HASH, HASH.toUpperCase(java.util.Locale.ROOT)),
                good.replace(HASH, HASH.substring(1)),
                good + ",\"windowed\":\"yes\"",
                good + ",\"mime\":\"" + "m".repeat(256) + "\"")) {
            assertNull(PeerMessages.decode("{\"type\":\"file-offer\"," + bent + "}"), bent);
        }
    }

    @Test
    void answersAndVerdictsNeedARealIdAndARealBoolean() {
        assertNull(PeerMessages.decode("{\"type\":\"file-answer\",\"id\":\"t1\",\"accept\":\"true\"}"));
        assertNull(PeerMessages.decode("{\"type\":\"file-answer\",\"id\":\"t1\"}"));
        assertNull(PeerMessages.decode("{\"type\":\"file-answer\",\"id\":\"t 1\",\"accept\":true}"));
        assertNull(PeerMessages.decode("{\"type\":\"file-received\",\"id\":\"t1\",\"ok\":1}"));
        assertNull(PeerMessages.decode("{\"type\":\"file-cancel\"}"));
        PeerMessages.FileCancel longReason = (PeerMessages.FileCancel) PeerMessages.decode(
                "{\"type\":\"file-cancel\",\"id\":\"t1\",\"reason\":\"" + "r".repeat(5_000) + "\"}");
        assertEquals(200, longReason.reason().length(), "a long reason is cut, the cancel still counts");
    }

    @Test
    void chatAndMediaStillWork() {
        assertEquals(new PeerMessages.Chat("привет"), PeerMessages.decode(PeerMessages.chat("привет")));
        assertEquals(
                new PeerMessages.Media(new PeerMedia(false, true, true)),
                PeerMessages.decode(PeerMessages.media(new PeerMedia(false, true, true))));
        assertNull(PeerMessages.decode("not json"));
        assertNull(PeerMessages.decode("{\"type\":\"file-shred\",\"id\":\"t1\"}"));
    }

    @Test
    void aVerificationStepRoundTripsAndAnythingOutOfBoundsIsDropped() {
        assertEquals(
                new PeerMessages.VerifyStep("reveal", HASH), PeerMessages.decode(PeerMessages.verify("reveal", HASH)));
        for (String bad : new String[] {
            "{\"type\":\"verify\",\"stage\":\"confess\",\"value\":\"" + HASH + "\"}",
            "{\"type\":\"verify\",\"stage\":\"reveal\",\"value\":\"" + HASH.toUpperCase() + "\"}",
            "{\"type\":\"verify\",\"stage\":\"reveal\",\"value\":\"" + HASH + "00\"}",
            "{\"type\":\"verify\",\"stage\":\"reveal\"}",
            "{\"type\":\"verify\",\"stage\":[\"reveal\"],\"value\":\"" + HASH + "\"}"
        }) {
            assertNull(PeerMessages.decode(bad), bad);
        }
    }
}
