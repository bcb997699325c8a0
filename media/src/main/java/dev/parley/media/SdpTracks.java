package dev.parley.media;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads which track each media section of a session description carries. In Unified Plan a received track gets a
 * local, random id (the offerer's receivers exist before the answer names their tracks), so the sender's own name
 * for a track ("camera", "screen") is only found in the description's {@code a=msid:<stream> <track>} lines
 * (RFC 8830 §2), per {@code a=mid}.
 */
public final class SdpTracks {
    private SdpTracks() {}

    /** mid → the sender's track id, for every media section that names one. */
    public static Map<String, String> trackIdsByMid(String sdp) {
        Map<String, String> result = new HashMap<>();
        String mid = null;
        String track = null;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("m=")) {
                put(result, mid, track);
                mid = null;
                track = null;
            } else if (line.startsWith("a=mid:")) {
                mid = line.substring(6).strip();
            } else if (line.startsWith("a=msid:")) {
                String[] parts = line.substring(7).strip().split("\\s+");
                if (parts.length == 2 && !parts[1].isEmpty()) {
                    track = parts[1];
                }
            }
        }
        put(result, mid, track);
        return result;
    }

    private static void put(Map<String, String> result, String mid, String track) {
        if (mid != null && track != null) {
            result.put(mid, track);
        }
    }
}
