package dev.parley.media;

import java.util.List;

/**
 * One second of a call as WebRTC's {@code getStats} sees it (W3C webrtc-stats), reduced to what a user and a
 * test need: one entry per RTP stream and the candidate pair the media actually takes.
 *
 * @param streams each RTP stream, sent and received, audio and video
 * @param rttMs   round-trip time of the selected candidate pair in milliseconds, or -1 before it is measured
 * @param route   the selected candidate pair, or null before ICE has chosen one
 * @param bytesReceived every byte received on the connection's transports so far (RTP, RTCP, data channels,
 *                      ICE checks): it grows while the peer is alive, even with its camera off
 */
public record CallStats(
        List<Stream> streams, double rttMs, Route route, long bytesReceived, List<Candidate> candidates) {

    /** The first stream of this kind and direction, or null. */
    public Stream find(String kind, boolean outbound) {
        for (Stream s : streams) {
            if (s.kind().equals(kind) && s.outbound() == outbound) {
                return s;
            }
        }
        return null;
    }

    /**
     * One RTP stream.
     *
     * @param kind        "audio" or "video"
     * @param outbound    true if this side sends it
     * @param trackId     the sending track's id ("camera", "screen", "microphone"); received streams carry the
     *                    id the peer gave its track
     * @param codec       e.g. "VP8", "opus"; empty before it is known
     * @param bitrateBps  payload bits per second over the last interval
     * @param bytes       payload bytes so far
     * @param packets     packets so far
     * @param packetsLost packets lost so far (received streams: measured here; sent streams: reported by the peer)
     * @param lossPercent packets lost over the last interval, in percent of those expected
     * @param jitterMs    interarrival jitter in milliseconds
     * @param frames      video frames sent or received so far (0 for audio)
     * @param fps         video frames per second
     * @param width       video frame width (0 for audio or before the first frame)
     * @param height      video frame height
     * @param jitterBufferMs received streams: the average time a frame (video) or sample (audio) spent in the
     *                    jitter buffer over the last interval, in milliseconds; -1 for sent streams or when
     *                    nothing came out of the buffer in the interval
     * @param targetDelayMs received streams: the delay the jitter buffer aimed at over the last interval (it
     *                    includes the delay added to play audio and video of one stream in sync); -1 as above
     */
    public record Stream(
            String kind,
            boolean outbound,
            String trackId,
            String codec,
            long bitrateBps,
            long bytes,
            long packets,
            long packetsLost,
            double lossPercent,
            double jitterMs,
            long frames,
            double fps,
            int width,
            int height,
            double jitterBufferMs,
            double targetDelayMs) {}

    /**
     * The selected candidate pair: how the call is connected.
     *
     * @param localType     "host", "srflx", "prflx" or "relay"
     * @param localAddress  ip:port
     * @param remoteType    the peer's candidate type
     * @param remoteAddress ip:port
     * @param protocol      "udp" or "tcp"
     * @param relayProtocol for a local relay candidate, how this side reaches the TURN server ("udp", "tcp",
     *                      "tls"); empty otherwise
     */
    public record Route(
            String localType,
            String localAddress,
            String remoteType,
            String remoteAddress,
            String protocol,
            String relayProtocol) {
        /** Host to host: the two ends reach each other's own addresses, no NAT's or relay's between them. */
        public boolean direct() {
            return "host".equals(localType) && "host".equals(remoteType);
        }

        /**
         * Neither side peer-reflexive, so {@link #direct()} can be trusted: right after connecting, libwebrtc may
         * still name a LAN peer's candidate prflx (learnt from its first check, before the signaled one replaces
         * it), and a symmetric NAT's stays prflx.
         */
        public boolean settled() {
            return !"prflx".equals(localType) && !"prflx".equals(remoteType);
        }
    }

    /**
     * An ICE candidate the report knows: one this side gathered ({@code local}) or one the peer sent.
     *
     * @param type     {@code host}, {@code srflx}, {@code prflx} or {@code relay}
     * @param address  ip:port
     * @param protocol {@code udp} or {@code tcp}
     */
    public record Candidate(boolean local, String type, String address, String protocol) {}
}
