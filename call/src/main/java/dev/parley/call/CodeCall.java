package dev.parley.call;

import dev.parley.media.MediaEngine;
import dev.parley.signaling.protocol.IceServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call set up with no server, by trading two codes (docs/PROTOCOL.md, section 11): its own {@link CallEngine} on a
 * {@link PaperSignaling}, on the application's media engine. The side that invites shows its code, then plays the
 * answer code it is given; the side that joins plays the invite code and shows its answer code. When the call ends,
 * its engine and signaling close themselves; {@link #close()} ends it at any time (a card cancelled).
 */
public final class CodeCall implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CodeCall.class);
    /** The name the inviting side's call knows its peer by until the answer code names them. */
    static final String PEER = "peer";

    private final PaperSignaling paper;
    private final CallEngine engine;
    private final CompletableFuture<CallSession> session = new CompletableFuture<>();
    private final boolean inviting;
    private volatile String peerName;

    private CodeCall(PaperSignaling paper, CallEngine engine, boolean inviting) {
        this.paper = paper;
        this.engine = engine;
        this.inviting = inviting;
    }

    /**
     * The inviting side: dials at once; {@link #code()} is the invite code to show, {@link #play} takes the answer.
     *
     * @param me         this side's name, as the other side's call will show it
     * @param iceServers the user's own STUN/TURN servers (there is no server to hand any out)
     * @param configure  sets the engine up as the app's own (camera, identity) before the call starts
     */
    static CodeCall invite(
            MediaEngine media,
            CallOptions options,
            List<IceServer> iceServers,
            String me,
            Duration ttl,
            Consumer<CallEngine> configure) {
        PaperSignaling paper = new PaperSignaling(me, iceServers, Clock.systemUTC(), ttl);
        CallEngine engine =
                new CallEngine(media, paper, options.withNoAnswerTimeout(ttl), incoming -> incoming.decline());
        CodeCall call = new CodeCall(paper, engine, true);
        configure.accept(engine);
        call.started(engine.dial(PEER));
        return call;
    }

    /**
     * The joining side: plays the invite code (its call rings here and is accepted at once); {@link #code()} is
     * the answer code to show.
     *
     * @throws InviteCode.BadCode if the invite is not one this side can answer
     */
    static CodeCall join(
            MediaEngine media,
            CallOptions options,
            List<IceServer> iceServers,
            String me,
            InviteCode invite,
            Duration ttl,
            Consumer<CallEngine> configure)
            throws InviteCode.BadCode {
        if (invite.kind() != InviteCode.Kind.INVITE) {
            throw new InviteCode.BadCode(
                    InviteCode.BadCode.Reason.WRONG_HALF, "this is an answer code; an invite code was expected");
        }
        PaperSignaling paper = new PaperSignaling(me, iceServers, Clock.systemUTC(), ttl);
        CodeCall[] self = new CodeCall[1];
        CallEngine engine = new CallEngine(media, paper, options.withConnectTimeout(ttl.plusSeconds(12)), incoming -> {
            incoming.accept();
            self[0].started(incoming);
        });
        self[0] = new CodeCall(paper, engine, false);
        self[0].peerName = invite.from();
        configure.accept(engine);
        try {
            paper.play(invite);
        } catch (InviteCode.BadCode e) {
            self[0].close();
            throw e;
        }
        return self[0];
    }

    private void started(CallSession s) {
        session.complete(s);
        s.addListener((x, state, reason) -> {
            if (state == CallState.ENDED) {
                // Not on the call's own thread: closing the engine waits for its calls to end.
                CompletableFuture.runAsync(this::close);
            }
        });
    }

    /** True for the side that made the invite (it plays an answer code next). */
    public boolean inviting() {
        return inviting;
    }

    /** This side's code, once gathered (see {@link PaperSignaling#code()}). */
    public CompletableFuture<InviteCode> code() {
        return paper.code();
    }

    /** The call, once it exists: at once for the inviting side, once the invite rang for the joining side. */
    public CompletableFuture<CallSession> session() {
        return session;
    }

    /**
     * Plays the answer code the other side sent back (the inviting side only).
     *
     * @throws InviteCode.BadCode if it is not an answer to this invite, damaged, expired or from another version
     */
    public void play(String answerCode) throws InviteCode.BadCode {
        InviteCode answer = InviteCode.parse(answerCode, Clock.systemUTC());
        paper.play(answer);
        peerName = answer.from();
    }

    /** The other side's name as its code gives it; null on the inviting side until the answer is played. */
    public String peerName() {
        return peerName;
    }

    /** Hangs up (if the call is on) and lets go of the engine and the signaling. Idempotent. */
    @Override
    public void close() {
        try {
            engine.close();
        } catch (RuntimeException e) {
            log.warn("Closing a code call's engine failed: {}", e.toString());
        }
        paper.close();
    }
}
