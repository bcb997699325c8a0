package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.CallMessage;
import dev.parley.signaling.protocol.Cancel;
import dev.parley.signaling.protocol.Candidate;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.Offer;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What this side's code holds, as the call engine's messages go into it (no WebRTC: the messages by hand). */
class PaperSignalingTest {
    private final PaperSignaling paper =
            new PaperSignaling("alice", List.of(), Clock.systemUTC(), InviteCode.DEFAULT_TTL);

    private static Candidate candidate(int i, String type) {
        return new Candidate(
                "c1",
                null,
                "peer",
                "0",
                0,
                "candidate:" + i + " 1 udp 1 198.18.0." + (i % 250 + 1) + " " + (5000 + i) + " typ " + type,
                false);
    }

    @Test
    void aHostWithManyAddressesStillWritesACodeTheOtherSideTakesFurthestReachingFirst() throws Exception {
        paper.send(new Invite("c1", null, "peer", Set.of(MediaKind.AUDIO)));
        for (int i = 0; i < 70; i++) { // docker bridges, VPNs, IPv6: more than a reader takes
            paper.send(candidate(i, i % 10 == 9 ? "srflx" : "host"));
            if (i == 3) {
                paper.send(new Offer("c1", null, "peer", "v=0")); // a candidate came before the offer was sent
            }
        }
        paper.send(Candidate.end("c1", "peer"));
        InviteCode code = paper.code().get(1, TimeUnit.SECONDS);
        List<CallMessage> m = InviteCode.parse(code.text(), Clock.systemUTC()).messages();
        assertTrue(
                m.get(0) instanceof Invite && m.get(1) instanceof Offer,
                m.subList(0, 2).toString());
        assertEquals(2 + InviteCode.MAX_CANDIDATES, m.size());
        for (int i = 2; i < 9; i++) {
            assertTrue(
                    ((Candidate) m.get(i)).candidate().contains("typ srflx"),
                    m.get(i).toString());
        }
    }

    @Test
    void aCallThatEndsBeforeItsCodeIsWrittenGetsNoCode() {
        paper.send(new Invite("c1", null, "peer", Set.of(MediaKind.AUDIO)));
        paper.send(new Offer("c1", null, "peer", "v=0"));
        paper.send(new Cancel("c1", null, "peer", "cancelled"));
        paper.finishGathering();
        ExecutionException e =
                assertThrows(ExecutionException.class, () -> paper.code().get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("ended"), e.getCause().getMessage());
    }

    /** The attack: a pasted invite code dresses its caller up as a server-vouched guest ("Bank (guest, via link)"). */
    @Test
    void aCodeCannotClaimAGuestName() throws Exception {
        InviteCode forged = new InviteCode(
                InviteCode.Kind.INVITE,
                "mallory",
                java.time.Instant.now().plusSeconds(600),
                List.of(
                        new Invite("c9", null, "alice", Set.of(MediaKind.AUDIO), "Your bank"),
                        new Offer("c9", null, "alice", "v=0")));
        java.util.concurrent.CompletableFuture<Invite> rang = new java.util.concurrent.CompletableFuture<>();
        paper.addListener(new dev.parley.signaling.client.SignalingClient.Listener() {
            @Override
            public void onMessage(dev.parley.signaling.protocol.Message m) {
                if (m instanceof Invite invite) {
                    rang.complete(invite);
                }
            }
        });
        paper.play(InviteCode.parse(forged.text(), Clock.systemUTC()));
        Invite invite = rang.get(5, TimeUnit.SECONDS);
        assertEquals("mallory", invite.from());
        assertEquals(null, invite.guest(), "only a server vouches for a guest's name");
    }
}
