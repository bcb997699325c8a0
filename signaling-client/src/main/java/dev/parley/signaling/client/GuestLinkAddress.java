package dev.parley.signaling.client;

import dev.parley.signaling.protocol.Link;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a guest link's page is: the signaling server serves it on its own address, so the link of token {@code T}
 * from a client connected to {@code ws[s]://HOST:PORT/signal} is {@code http[s]://HOST:PORT/join/T}.
 */
public final class GuestLinkAddress {
    private static final Pattern IN_LINK = Pattern.compile("/join/([^/?#]+)/?$");

    private GuestLinkAddress() {}

    /** The page of {@code token} on the server at {@code server} (a {@code ws:} or {@code wss:} URL). */
    public static URI page(URI server, String token) {
        if (!Link.isToken(token)) {
            throw new IllegalArgumentException("not a link token");
        }
        String scheme = switch (String.valueOf(server.getScheme()).toLowerCase(java.util.Locale.ROOT)) {
            case "ws" -> "http";
            case "wss" -> "https";
            default -> throw new IllegalArgumentException("not a ws: or wss: server URL: " + server);
        };
        try {
            return new URI(scheme, null, server.getHost(), server.getPort(), "/join/" + token, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make a link for " + server, e);
        }
    }

    /** The token of a link ({@code …/join/TOKEN}) or a bare token; null if it is neither. */
    public static String token(String linkOrToken) {
        String s = linkOrToken.strip();
        if (Link.isToken(s)) {
            return s;
        }
        Matcher m = IN_LINK.matcher(s);
        return m.find() && Link.isToken(m.group(1)) ? m.group(1) : null;
    }
}
