package dev.parley.call;

import dev.parley.signaling.protocol.IceServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's own STUN/TURN servers as typed in settings, one per line: {@code stun:host[:port]} or
 * {@code turn:host[:port][?transport=tcp] USER PASSWORD} (also {@code turns:}). Blank lines and lines starting
 * with {@code #} are skipped.
 */
public final class IceServerLines {
    private IceServerLines() {}

    /** Parses every line, or throws with the first bad line's number and what is wrong with it. */
    public static List<IceServer> parse(List<String> lines) {
        List<IceServer> servers = new ArrayList<>();
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String url = parts[0];
            boolean turn = url.startsWith("turn:") || url.startsWith("turns:");
            boolean stun = url.startsWith("stun:") || url.startsWith("stuns:");
            if (!turn && !stun) {
                throw new IllegalArgumentException("line " + number + ": starts with stun:, turn: or turns:");
            }
            if (url.indexOf(':') == url.length() - 1) {
                throw new IllegalArgumentException("line " + number + ": a host name is missing after " + url);
            }
            if (turn && parts.length != 3) {
                throw new IllegalArgumentException(
                        "line " + number + ": a TURN server needs a user name and a password");
            }
            if (stun && parts.length != 1) {
                throw new IllegalArgumentException("line " + number + ": a STUN server takes no user name or password");
            }
            servers.add(
                    turn ? new IceServer(List.of(url), parts[1], parts[2]) : new IceServer(List.of(url), null, null));
        }
        return servers;
    }
}
