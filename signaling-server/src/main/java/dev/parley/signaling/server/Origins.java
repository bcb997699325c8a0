package dev.parley.signaling.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which web pages may open a WebSocket to the server. A browser sends the page's origin in the {@code Origin}
 * header of every WebSocket upgrade (RFC 6455 section 4.1, item 8; RFC 6454) and lets any page connect anywhere:
 * without this check any site a user visits could sign in to a server on their machine or network in their name
 * (cross-site WebSocket hijacking). Native clients send no {@code Origin} and are not affected.
 *
 * <p>Origins are compared as RFC 6454 serializes them: lower-case scheme and host, and the port only when it is not
 * the scheme's default. Thread-safe (immutable).
 */
final class Origins {
    private final Set<String> allowed = new HashSet<>();

    /** @param allowed origins such as {@code https://app.example.com}; a trailing slash is ignored */
    Origins(List<String> allowed) {
        for (String origin : allowed) {
            String normal = normalize(origin);
            if (normal == null) {
                throw new IllegalArgumentException("not a web origin (scheme://host[:port]): " + origin);
            }
            this.allowed.add(normal);
        }
    }

    /**
     * True if an upgrade with these {@code Origin} header values may go ahead: none (a native client), or exactly one
     * that is on the list. Several {@code Origin} headers are refused: no browser sends that.
     */
    boolean permits(List<String> originHeaders) {
        if (originHeaders == null || originHeaders.isEmpty()) {
            return true;
        }
        if (originHeaders.size() > 1) {
            return false;
        }
        String normal = normalize(originHeaders.get(0));
        return normal != null && allowed.contains(normal);
    }

    /** {@code scheme://host[:port]} in lower case without a default port, or null if it is no such origin. */
    static String normalize(String origin) {
        if (origin == null) {
            return null;
        }
        String text = origin.strip();
        if (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return null; // "null" (an opaque origin) lands here or below: never allowed
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null || uri.getRawUserInfo() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"));
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
