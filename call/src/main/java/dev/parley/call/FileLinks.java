package dev.parley.call;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.parley.media.CallStats;
import dev.parley.media.SdpCheck;
import dev.parley.media.StatsReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peer connections of their own for the bytes of a call's files (docs/decisions/0010): a connection with only a
 * data section, no media, set up over the call's own channel ({@code file-link} and {@code file-link-candidate},
 * docs/PROTOCOL.md). libwebrtc hands every packet sent on a connection that carries media to its worker thread
 * (the send-side bandwidth estimate), one thread switch per ~1,200-byte packet; a connection without media does
 * not, and moves a file a third faster on the same CPU.
 *
 * <p>Each side offers at most one link at a time, for the files it sends (so offers never cross), and answers at
 * most one per call, for the files it receives, and only once it has accepted a file on a link — or two, when the
 * first was a TCP link the peer gave up for a UDP one (below): a peer cannot make it build connections over and
 * over. The link's certificate fingerprint
 * comes over the call's channel, inside the call's DTLS (verified by the call's security code): a link is as
 * private as the call.
 *
 * <p>When the call's own path is direct (host to host in its latest statistics), the link goes over TCP (host
 * candidates only, both ends: the offer says {@code tcp}). SCTP over UDP takes every datagram a busy receiver's
 * socket drops as congestion and halves its window, hundreds of times a second at full speed; TCP's receive window
 * is its socket buffer, so the receiver drops nothing, and files moved at a median 57.9 MB/s here against 36
 * (docs/decisions/0010). A TCP link that has not connected within {@link #TCP_CONNECT_LIMIT_MILLIS} (a firewall
 * that drops TCP) is given up and one UDP link is offered instead, which the peer may answer as its second and last.
 * Otherwise (NAT, relay) the link is UDP. A file asked for before the call's statistics tell its path (none yet,
 * or a peer-reflexive candidate: a LAN peer's is one for a moment after connecting, a symmetric NAT's for good)
 * waits for them, {@link #PATH_WAIT_MILLIS} at most, then takes a UDP link unless the path showed direct.
 *
 * <p>A link that cannot be made or does not connect within {@link #CONNECT_LIMIT_MILLIS} is
 * given up (and closed) for the rest of the call and the files go over the call's connection, as before links; one
 * that fails after it connected is kept until the call ends (its files' channels close, and those files fail). Runs on the
 * call's thread; native callbacks only hand over to it.
 */
final class FileLinks {
    private static final Logger log = LoggerFactory.getLogger(FileLinks.class);

    /** How long a new link may take to connect before the files go over the call's connection instead. */
    static final long CONNECT_LIMIT_MILLIS = 10_000;

    /**
     * How long a TCP link may take: on a direct path it connects within a second, so one that has not by then
     * meets a firewall that drops TCP, and a UDP link is offered once instead.
     */
    static final long TCP_CONNECT_LIMIT_MILLIS = 4_000;

    /** Longest a file waits for the call's path to show in its statistics (taken every second) before a UDP link. */
    static final long PATH_WAIT_MILLIS = 2_000;

    /** Longest description accepted from the peer, in characters (a data-only one is ~1,000). */
    static final int MAX_SDP_CHARS = 16_000;

    /** Most candidates taken from the peer for one link. */
    static final int MAX_CANDIDATES = 64;

    /** The label of the channel that gives a link's offer its data section (nothing is sent on it). */
    static final String LABEL = "link";

    /**
     * Takes a file's new channel: on a link ({@code onLink}, over TCP or not) or the call's connection; null if the
     * call has none.
     */
    interface Opened {
        void opened(RTCDataChannel channel, boolean onLink, boolean tcp);
    }

    private final String callId;
    private final CallContext context;
    private final Executor session; // the call's thread
    private final Consumer<String> send; // a message over the call's channel
    private final Opened fileChannel; // a file channel the peer opened on its link (kept here)
    private final Supplier<Boolean> directPath; // the call's path host to host? (latest statistics; null: none yet)
    private Link outgoing; // ours: we offered it; the files we send
    private List<Request> undecided; // files waiting for the call's path to show in its statistics
    private Link incoming; // the peer's: it offered it; the files we receive
    private boolean agreed; // we accepted a file on a link: the peer may offer one
    private int answeredLinks;
    private boolean closed;

    /**
     * @param session     runs work on the call's thread
     * @param send        sends a message over the call's channel
     * @param fileChannel takes a file channel the peer opened on the link it offered (closed and freed with the link)
     * @param directPath  whether the call's own path is host to host, from its latest statistics (the link's
     *                    transport follows it); null while they do not tell (none yet, or a peer-reflexive
     *                    candidate, which a LAN peer's is for a moment after connecting)
     */
    FileLinks(
            String callId,
            CallContext context,
            Executor session,
            Consumer<String> send,
            Opened fileChannel,
            Supplier<Boolean> directPath) {
        this.callId = callId;
        this.context = context;
        this.session = session;
        this.send = send;
        this.fileChannel = fileChannel;
        this.directPath = directPath;
    }

    /**
     * Hands {@code then} a new channel for a file's bytes on the call's thread: on our link once it is connected
     * (making it if need be), or from {@code fallback} (the call's connection) when the link cannot be had.
     */
    void openChannel(String label, Supplier<RTCDataChannel> fallback, Opened then) {
        if (closed) {
            then.opened(null, false, false);
            return;
        }
        Request r = new Request(label, fallback, then);
        if (outgoing == null && directPath.get() == null) {
            // The call's first second: its statistics do not tell its path yet. The files wait for the next ones.
            if (undecided == null) {
                undecided = new ArrayList<>();
                FileTransfers.TIMER.schedule(
                        () -> session.execute(this::decide), PATH_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            undecided.add(r);
            return;
        }
        if (outgoing == null) {
            outgoing = offerOurs();
        }
        outgoing.whenUp(r);
    }

    /** The call's statistics came (the call's thread): files waiting for its path take their link now. */
    void statsArrived() {
        if (undecided != null && directPath.get() != null) {
            decide();
        }
    }

    /** Our link is offered, over TCP if the path is known to be direct, and the files waiting go to it. */
    private void decide() {
        if (undecided == null || closed) {
            return;
        }
        List<Request> now = undecided;
        undecided = null;
        outgoing = offerOurs();
        now.forEach(outgoing::whenUp);
    }

    /** Our link, over TCP if the call's path is known to be direct. */
    private Link offerOurs() {
        return offer(Boolean.TRUE.equals(directPath.get()));
    }

    /** A file waiting for our link: its channel's label, the call's connection if the link fails, who takes it. */
    private record Request(String label, Supplier<RTCDataChannel> fallback, Opened then) {}

    /** We accepted a file on a link: the peer's offer of one is now welcome. */
    void agree() {
        agreed = true;
    }

    /** True while a link the peer offered is being answered or is up (for a test). */
    boolean answering() {
        return incoming != null && !incoming.down;
    }

    /** Peer connections made to answer the peer's link offers (at most two; for a test). */
    int answered() {
        return answeredLinks;
    }

    /** Our link's route, its selected candidate pair (for a test), on the call's thread; null without one. */
    void outgoingRoute(Consumer<CallStats.Route> then) {
        Link l = outgoing;
        if (l == null || l.pc == null || l.closedLink) {
            then.accept(null);
            return;
        }
        l.pc.getStats(report -> session.execute(() -> then.accept(StatsReader.route(report))));
    }

    /** A {@code file-link} or {@code file-link-candidate} from the peer. */
    void message(PeerMessages.PeerMessage m) {
        if (closed) {
            return;
        }
        if (m instanceof PeerMessages.LinkDescription d) {
            if (d.offer()) {
                answer(d.sdp(), d.tcp());
            } else if (outgoing != null) {
                outgoing.answered(d.sdp(), d.tcp());
            }
        } else if (m instanceof PeerMessages.LinkCandidate c) {
            Link to = c.fromOfferer() ? incoming : outgoing;
            if (to != null) {
                to.remoteCandidate(c);
            }
        }
    }

    /** The call is over: both links close (their channels first, freed after), waiting files get nothing. */
    void close() {
        closed = true;
        undecided = null;
        for (Link l : new Link[] {outgoing, incoming}) {
            if (l != null) {
                l.close();
            }
        }
    }

    private Link offer(boolean tcp) {
        Link link = null;
        try {
            link = new Link(true, tcp);
            link.keep(link.pc.createDataChannel(LABEL, PeerChannel.reliable()));
            Link made = link;
            made.sdp.createOffer(
                    false,
                    sdp -> made.guard(() -> made.sdp.setLocal("offer", sdp, () -> made.described(sdp), made::failed)),
                    made::failed);
        } catch (RuntimeException e) {
            log.warn("Call {}: no file link ({}); files go over the call's connection", callId, e.toString());
            if (link != null) {
                link.close();
            }
            return new Link();
        }
        link.limit();
        return link;
    }

    private void answer(String sdp, boolean tcp) {
        // After a TCP link, the peer may offer one UDP link: it gave the TCP one up (its own side is closed already).
        boolean retry = incoming != null && incoming.tcp && !tcp && answeredLinks == 1;
        if (!agreed || (incoming != null && !retry)) {
            log.info("Call {}: ignored a file link offer the call does not expect", callId);
            return;
        }
        String problem = dataOnly(sdp);
        if (problem != null) {
            log.info("Call {}: refused a file link offer: {}", callId, problem);
            return;
        }
        if (retry) {
            incoming.close();
            incoming = null;
        }
        Link link;
        try {
            link = new Link(false, tcp);
        } catch (RuntimeException e) {
            log.warn("Call {}: cannot answer a file link: {}", callId, e.toString());
            incoming = new Link(); // the one answer this call gives
            return;
        }
        incoming = link;
        answeredLinks++;
        link.limit();
        link.guard(() -> link.sdp.setRemote(
                "offer",
                sdp,
                () -> link.guard(() -> {
                    link.remoteSet();
                    link.sdp.createAnswer(
                            answer -> link.guard(() ->
                                    link.sdp.setLocal("answer", answer, () -> link.described(answer), link::failed)),
                            link::failed);
                }),
                link::failed));
    }

    /** Null if {@code sdp} is a description with data sections only (a link carries no media), else why not. */
    static String dataOnly(String sdp) {
        if (sdp.length() > MAX_SDP_CHARS) {
            return "a description of " + sdp.length() + " characters";
        }
        String problem = SdpCheck.problem(sdp);
        if (problem != null) {
            return problem;
        }
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=") && !line.startsWith("m=application ")) {
                return "a media section in a file link: " + line.substring(0, Math.min(line.length(), 40));
            }
        }
        return null;
    }

    /** One link: a data-only peer connection, its channels, and the files waiting for it to connect. */
    private final class Link {
        final boolean offerer;
        final boolean tcp; // TCP host candidates only
        final RTCPeerConnection pc;
        final PeerConnectionSdp sdp;
        final List<RTCDataChannel> channels = new ArrayList<>();
        final List<Request> waiting = new ArrayList<>();
        final List<RTCIceCandidate> ownEarly = new ArrayList<>(); // before our description went out
        final List<PeerMessages.LinkCandidate> remoteEarly = new ArrayList<>(); // before the peer's was set
        boolean describedOut;
        boolean answerTaken;
        boolean remoteSet;
        int remoteCandidates;
        boolean up;
        boolean down;
        boolean closedLink;

        /** A link that never was: every file takes the fallback. */
        Link() {
            offerer = true;
            tcp = false;
            pc = null;
            sdp = null;
            down = true;
        }

        Link(boolean offerer, boolean tcp) {
            this.offerer = offerer;
            this.tcp = tcp;
            Executor guarded = task -> session.execute(() -> {
                if (!closedLink) {
                    task.run();
                }
            });
            pc = context.linkConnection(
                    callId,
                    guarded,
                    new PeerConnectionEvents.Handler() {
                        @Override
                        public void candidate(RTCIceCandidate candidate) {
                            if (describedOut) {
                                sendCandidate(candidate);
                            } else {
                                ownEarly.add(candidate);
                            }
                        }

                        @Override
                        public void gatheringComplete() {}

                        @Override
                        public void connectionState(RTCPeerConnectionState state) {
                            changed(state);
                        }

                        @Override
                        public void receiving(boolean receiving) {}

                        @Override
                        public void dataChannel(RTCDataChannel c) {
                            offered(c);
                        }

                        @Override
                        public void track(String mid, MediaStreamTrack track) {
                            log.info("Call {}: a media track on a file link, ignored", callId);
                        }
                    },
                    tcp);
            sdp = new PeerConnectionSdp(pc, guarded, FileTransfers.TIMER);
        }

        void keep(RTCDataChannel c) {
            channels.add(c);
        }

        /** Our description is set: it goes to the peer, then the candidates found meanwhile. */
        void described(String description) {
            send.accept(PeerMessages.linkDescription(offerer, description, tcp)); // an answer echoes it
            describedOut = true;
            ownEarly.forEach(this::sendCandidate);
            ownEarly.clear();
        }

        private void sendCandidate(RTCIceCandidate c) {
            send.accept(PeerMessages.linkCandidate(offerer, c.sdpMid, c.sdpMLineIndex, c.sdp));
        }

        /** The peer's answer to our offer. */
        void answered(String description, boolean overTcp) {
            if (down || answerTaken || !describedOut || (overTcp && !tcp)) {
                return; // not waiting for one (or a late answer to the TCP link this one replaced)
            }
            String problem = dataOnly(description);
            if (problem != null) {
                failed("the peer's answer: " + problem);
                return;
            }
            answerTaken = true; // one answer only
            guard(() -> sdp.setRemote("answer", description, this::remoteSet, this::failed));
        }

        void remoteSet() {
            remoteSet = true;
            remoteEarly.forEach(this::addRemote);
            remoteEarly.clear();
        }

        void remoteCandidate(PeerMessages.LinkCandidate c) {
            if (down || ++remoteCandidates > MAX_CANDIDATES) {
                return;
            }
            if (remoteSet) {
                addRemote(c);
            } else {
                remoteEarly.add(c);
            }
        }

        private void addRemote(PeerMessages.LinkCandidate c) {
            try {
                sdp.addCandidate(c.mid(), c.index(), c.candidate());
            } catch (RuntimeException e) { // webrtc-java throws for a candidate it cannot read
                log.info("Call {}: a file link candidate refused: {}", callId, e.toString());
            }
        }

        void whenUp(Request r) {
            if (up || down) {
                open(r);
            } else {
                waiting.add(r);
            }
        }

        private void open(Request r) {
            RTCDataChannel c = null;
            if (up && !down) {
                try {
                    c = pc.createDataChannel(r.label(), PeerChannel.reliable());
                    keep(c);
                } catch (RuntimeException e) {
                    log.warn("Call {}: no channel on the file link: {}", callId, e.toString());
                }
            }
            if (c != null) {
                r.then().opened(c, true, tcp);
            } else {
                r.then().opened(r.fallback().get(), false, false);
            }
        }

        void changed(RTCPeerConnectionState state) {
            if (state == RTCPeerConnectionState.CONNECTED && !down && !up) {
                up = true;
                log.info(
                        "Call {}: file link {} connected over {}", callId, offerer ? "out" : "in", tcp ? "TCP" : "UDP");
                release();
            } else if (state == RTCPeerConnectionState.FAILED || state == RTCPeerConnectionState.CLOSED) {
                failed("the file link's connection is " + state.name().toLowerCase(java.util.Locale.ROOT));
            }
        }

        /** Runs a step of the set-up; one webrtc-java throws for gives the link up instead of ending the call. */
        void guard(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                failed("libwebrtc refused a step: " + e);
            }
        }

        /** Gives the link {@link #CONNECT_LIMIT_MILLIS} to connect. */
        void limit() {
            FileTransfers.TIMER.schedule(
                    () -> session.execute(this::connectLimit), limitMillis(), TimeUnit.MILLISECONDS);
        }

        private long limitMillis() {
            return tcp ? TCP_CONNECT_LIMIT_MILLIS : CONNECT_LIMIT_MILLIS;
        }

        void connectLimit() {
            if (!up && !down) {
                failed("the file link did not connect within " + limitMillis() / 1000 + " s");
            }
        }

        /** Given up: files waiting take the call's connection, and so do later ones. */
        void failed(String why) {
            if (down) {
                return;
            }
            down = true;
            log.info("Call {}: file link {} given up: {}", callId, offerer ? "out" : "in", why);
            if (offerer && tcp && !up && outgoing == this && !closed) {
                // TCP cannot cross this path (a firewall): the files wait for one UDP link instead.
                List<Request> again = new ArrayList<>(waiting);
                waiting.clear();
                close();
                outgoing = offer(false);
                again.forEach(outgoing::whenUp);
                return;
            }
            release();
            if (!up) {
                close(); // no file's channel is on it yet: its sockets and relay go now, not at the call's end
            }
        }

        private void release() {
            List<Request> now = new ArrayList<>(waiting);
            waiting.clear();
            now.forEach(this::open);
        }

        /** A channel the peer opened on its link: a file's goes to the files; anything else is closed. */
        void offered(RTCDataChannel c) {
            keep(c);
            String label = c.getLabel();
            if (!offerer && label != null && label.startsWith(FileTransfers.CHANNEL_PREFIX)) {
                fileChannel.opened(c, true, tcp);
            } else if (!LABEL.equals(label)) {
                c.close();
            }
        }

        /** Channels closed, then the connection, then the channels freed (the order webrtc-java survives). */
        void close() {
            if (closedLink || pc == null) {
                closedLink = true;
                return;
            }
            closedLink = true;
            down = true;
            waiting.clear();
            List<Throwable> failures = new ArrayList<>();
            for (RTCDataChannel c : channels) {
                step(failures, c::unregisterObserver);
                step(failures, c::close);
            }
            step(failures, pc::close);
            for (RTCDataChannel c : channels) {
                step(failures, c::dispose);
            }
            channels.clear();
            if (!failures.isEmpty()) {
                log.warn(
                        "Call {}: closing a file link: {}",
                        callId,
                        failures.get(0).toString());
            }
        }

        /** One step of a close; the next runs whatever this one throws (webrtc-java's dispose throws an Error). */
        private static void step(List<Throwable> failures, Runnable step) {
            try {
                step.run();
            } catch (RuntimeException | Error e) {
                failures.add(e);
            }
        }
    }
}
