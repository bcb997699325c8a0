package dev.parley.media;

import java.util.HashSet;
import java.util.List;
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

    private SdpTuning() {}

    /** A start rate in kbit/s for video of this size and frame rate: about 0.1 bit per pixel, 300 to 4000. */
    public static int startKbps(int width, int height, int fps) {
        long kbps = (long) width * height * fps / 10_000;
        return (int) Math.max(300, Math.min(4000, kbps));
    }

    /** The description with {@code x-google-start-bitrate} on every video codec of every video section. */
    public static String withStartBitrate(String sdp, int kbps) {
        String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
        List<String> lines = List.of(sdp.split("\r?\n", -1));
        StringBuilder out = new StringBuilder(sdp.length() + 256);
        int start = 0;
        for (int i = 1; i <= lines.size(); i++) {
            if (i == lines.size() || lines.get(i).startsWith("m=")) {
                tuneSection(lines.subList(start, i), kbps, out, eol);
                start = i;
            }
        }
        out.setLength(out.length() - eol.length()); // the split kept the text's own ending as an empty last line
        return out.toString();
    }

    /** One section (the session part or an m= section): fmtp lines get the parameter, codecs without one get one. */
    private static void tuneSection(List<String> section, int kbps, StringBuilder out, String eol) {
        boolean video = !section.isEmpty() && section.get(0).startsWith("m=video");
        Set<String> codecs = new HashSet<>();
        Set<String> withFmtp = new HashSet<>();
        if (video) {
            for (String line : section) {
                if (line.startsWith("a=rtpmap:")
                        && line.indexOf(' ') > 0
                        && VIDEO_CODECS.contains(
                                line.substring(line.indexOf(' ') + 1).split("/")[0])) {
                    codecs.add(line.substring(9, line.indexOf(' ')));
                } else if (line.startsWith("a=fmtp:") && line.indexOf(' ') > 0) {
                    withFmtp.add(line.substring(7, line.indexOf(' ')));
                }
            }
        }
        for (String line : section) {
            if (video
                    && line.startsWith("a=fmtp:")
                    && line.indexOf(' ') > 0
                    && codecs.contains(line.substring(7, line.indexOf(' ')))
                    && !line.contains("x-google-start-bitrate")) {
                line = line + ";x-google-start-bitrate=" + kbps;
            }
            out.append(line).append(eol);
            if (video && line.startsWith("a=rtpmap:") && line.indexOf(' ') > 0) {
                String pt = line.substring(9, line.indexOf(' '));
                if (codecs.contains(pt) && !withFmtp.contains(pt)) {
                    out.append("a=fmtp:")
                            .append(pt)
                            .append(" x-google-start-bitrate=")
                            .append(kbps)
                            .append(eol);
                }
            }
        }
    }
}
