package dev.parley.signaling.protocol;

import java.util.List;

/**
 * A STUN or TURN server as WebRTC's {@code RTCIceServer} describes it (W3C webrtc-pc, section 4.2.4).
 *
 * @param urls       {@code stun:}, {@code turn:} or {@code turns:} URIs
 * @param username   TURN user name (time-limited, see the TURN REST scheme), or {@code null} for STUN
 * @param credential TURN password, or {@code null} for STUN
 */
public record IceServer(List<String> urls, String username, String credential) {
    public IceServer {
        urls = Checks.list(urls, "urls", 16);
        for (String url : urls) {
            Checks.text(url, "urls", Checks.MAX_TEXT);
            if (!(url.startsWith("stun:")
                    || url.startsWith("stuns:")
                    || url.startsWith("turn:")
                    || url.startsWith("turns:"))) {
                throw new IllegalArgumentException(
                        "ICE server URI must start with stun:, stuns:, turn: or turns:: " + url);
            }
        }
        Checks.text(username, "username", Checks.MAX_TEXT);
        Checks.text(credential, "credential", Checks.MAX_TEXT);
    }

    @Override
    public String toString() {
        return "IceServer[urls=" + urls + ", username=" + username + ", credential="
                + (credential == null ? "none" : "***") + "]";
    }
}
