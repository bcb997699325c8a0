package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.media.MediaEngine;
import dev.parley.testsupport.Await;
import dev.parley.testsupport.SystemTest;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call with no server at all (real peer connections in the test JVM's namespace): alice's engine dials on
 * paper, her invite code is passed to bob as text, his engine answers it, his answer code goes back as text, and
 * they see each other. Each code is read as the other side would read a paste.
 */
@SystemTest
@Timeout(60)
class InviteCodeCallTest {
    private final MediaEngine aliceMedia = MediaEngine.headless();
    private final MediaEngine bobMedia = MediaEngine.headless();
    private final PaperSignaling alicePaper =
            new PaperSignaling("alice", List.of(), Clock.systemUTC(), InviteCode.DEFAULT_TTL);
    private final PaperSignaling bobPaper =
            new PaperSignaling("bob", List.of(), Clock.systemUTC(), InviteCode.DEFAULT_TTL);
    private final LinkedBlockingQueue<CallSession> bobsIncoming = new LinkedBlockingQueue<>();
    private final CallEngine alice =
            new CallEngine(aliceMedia, alicePaper, CallOptions.defaults().withVideo(320, 240, 15), s -> {});
    private final CallEngine bob =
            new CallEngine(bobMedia, bobPaper, CallOptions.defaults().withVideo(320, 240, 15), s -> {
                bobsIncoming.add(s);
                s.accept();
            });

    @AfterEach
    void close() {
        alice.close();
        bob.close();
        alicePaper.close();
        bobPaper.close();
        aliceMedia.close();
        bobMedia.close();
    }

    @Test
    void twoPeopleWithNoServerConnectByTradingTwoCodes() throws Exception {
        CallSession outgoing = alice.dial("friend");
        String inviteText = alicePaper.code().get(15, TimeUnit.SECONDS).text();
        System.out.printf("invite code: %d characters%n", inviteText.length());

        InviteCode invite = InviteCode.parse(inviteText, Clock.systemUTC());
        assertEquals(InviteCode.Kind.INVITE, invite.kind());
        assertEquals("alice", invite.from());
        bobPaper.play(invite);
        CallSession incoming = bobsIncoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(incoming, "bob's engine never rang");
        assertEquals("alice", incoming.peer());

        String answerText = bobPaper.code().get(15, TimeUnit.SECONDS).text();
        System.out.printf("answer code: %d characters%n", answerText.length());
        InviteCode answer = InviteCode.parse(answerText, Clock.systemUTC());
        assertEquals(InviteCode.Kind.ANSWER, answer.kind());
        // Alice's paper takes only the answer to her own invite: her invite code pasted back is refused.
        assertThrows(InviteCode.BadCode.class, () -> alicePaper.play(invite));
        alicePaper.play(answer);
        assertThrows(InviteCode.BadCode.class, () -> alicePaper.play(answer), "an invite takes one answer");

        CallPair.reaches(outgoing, CallState.CONNECTED).get(15, TimeUnit.SECONDS);
        CallPair.reaches(incoming, CallState.CONNECTED).get(15, TimeUnit.SECONDS);
        for (CallSession side : new CallSession[] {outgoing, incoming}) {
            Await.until(
                    () -> side.remoteVideo().framesReceived() > 5,
                    CallPair.WAIT,
                    side.peer() + "'s video never arrived");
        }

        // Verified as a server-routed call is: the commitment in the invite code, the nonce in the answer code, the
        // reveal over the call's own channel; both sides show the same code.
        String aliceCode = CallPair.securityCode(outgoing);
        assertNotNull(aliceCode, "alice's side could not verify: " + outgoing.securityCode());
        assertEquals(aliceCode, CallPair.securityCode(incoming));

        // The call's own channel was in the first offer: chat works with nothing renegotiated.
        LinkedBlockingQueue<String> bobReads = new LinkedBlockingQueue<>();
        incoming.addChatListener((s, text) -> bobReads.add(text));
        Await.until(() -> outgoing.sendChat("hello without a server").join(), CallPair.WAIT, "alice's chat never went");
        assertEquals("hello without a server", bobReads.poll(10, TimeUnit.SECONDS));

        outgoing.hangup(); // no server to carry it: the peer hears it as the connection's close
        CallPair.reaches(incoming, CallState.ENDED).get(15, TimeUnit.SECONDS);
    }
}
