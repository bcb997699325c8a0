package dev.parley.media;

import java.util.HashSet;
import java.util.Set;

/**
 * Edits to the session descriptions a peer sends. libwebrtc starts every video send stream at 300 kbit/s and
 * probes upwards; its pacer then spreads the first key frame over several hundred milliseconds (measured: the
 * first 640x480 frame arrived ~160 ms after the connection was up). A sender reads its start rate from the
 * receiver's description ({@code x-google-start-bitrate}, in kbit/s, a libwebrtc extension), so each side
 * offers the rate its peer should start at.
 */
public final class SdpTuning {
    private static final Set<String> VIDEO_CODECS = Set.of("VP8", "VP9", "H264", "AV1");

    private SdpTuning() {
    }

    /** A start rate in kbit/s for video of this size and frame rate: about 0.1 bit per pixel, 300 to 4000. */
    public static int startKbps(int width, int height, int fps) {
        long kbps = (long) width * height * fps / 10_000;
        return (int) Math.max(300, Math.min(4000, kbps));
    }

    /** The description with {@code x-google-start-bitrate} on every video codec of every video section. */
    public static String withStartBitrate(String sdp, int kbps) {
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        String[] lines = sdp.split("\r?\n", -1);
        StringBuilder out = new StringBuilder(sdp.length() + 256);
        boolean video = false;
        Set<String> payloads = new HashSet<>(); // video codecs of the current section
        Set<String> hasFmtp = new HashSet<>();
        // First pass per section is not needed: fmtp lines follow their rtpmap line in libwebrtc's output, so
        // an rtpmap is given a new fmtp line only if the next line is not its fmtp.
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("m=")) {
                video = line.startsWith("m=video");
                payloads.clear();
                hasFmtp.clear();
            }
            if (video && line.startsWith("a=rtpmap:")) {
                String pt = line.substring(9, line.indexOf(' '));
                String codec = line.substring(line.indexOf(' ') + 1).split("/")[0];
                if (VIDEO_CODECS.contains(codec)) {
                    payloads.add(pt);
                    String next = i + 1 < lines.length ? lines[i + 1] : "";
                    out.append(line).append(eol);
                    if (!next.startsWith("a=fmtp:" + pt + " ")) {
                        out.append("a=fmtp:").append(pt).append(" x-google-start-bitrate=").append(kbps).append(eol);
                    }
                    continue;
                }
            }
            if (video && line.startsWith("a=fmtp:")) {
                String pt = line.substring(7, line.indexOf(' '));
                if (payloads.contains(pt) && !line.contains("x-google-start-bitrate")) {
                    line = line + ";x-google-start-bitrate=" + kbps;
                }
            }
            out.append(line);
            if (i < lines.length - 1) {
                out.append(eol);
            }
        }
        return out.toString();
    }
}
