package dev.parley.signaling.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which web pages may open a WebSocket to the server. A browser sends the page's origin in the {@code Origin}
 * header of every WebSocket upgrade (RFC 6455 section 4.1, item 8; RFC 6454) and lets any page connect anywhere:
 * without this check any site a user visits could sign in to a server on their machine or network in their name
 * (cross-site WebSocket hijacking). Native clients send no {@code Origin}, or Parley's own (see
 * {@link #permits}), and are not affected.
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
     * True if an upgrade with these {@code Origin} header values may go ahead: none (a native client); exactly one
     * that is on the list; or the one Parley's own client sends. Several {@code Origin} headers are refused: no
     * browser sends that.
     *
     * <p>Parley's client runs on Tyrus, which always sends {@code Origin: http://} (or {@code https://} over TLS)
     * followed by the {@code Host} it connects to. A web page can only send that origin if it was loaded from that
     * host and port, which is this server (it serves only the guest page of {@link GuestPages}, whose script is its
     * own and builds the page from text alone, so no other script can run under this origin), or if its own domain
     * name was pointed at this server
     * after it loaded (DNS rebinding). So it is accepted when rebinding is impossible: the {@code Host} is an IP
     * address or {@code localhost} (a page's origin is a domain name, and browsers never resolve {@code localhost}
     * through DNS), or the connection is TLS (a rebound name fails the browser's certificate check). A plain
     * {@code ws://} server reached by a domain name must list {@code http://NAME[:PORT]} to let Parley's clients in.
     * (Either scheme is taken: a page of the other scheme would have to come from this same host and port.)
     *
     * @param host   the upgrade's {@code Host} header, or null
     * @param secure whether the connection is TLS
     */
    boolean permits(List<String> originHeaders, String host, boolean secure) {
        if (originHeaders == null || originHeaders.isEmpty()) {
            return true;
        }
        if (originHeaders.size() > 1) {
            return false;
        }
        String normal = normalize(originHeaders.get(0));
        if (normal == null) {
            return false;
        }
        if (allowed.contains(normal)) {
            return true;
        }
        return host != null
                && (normal.equals(normalize("http://" + host.strip()))
                        || normal.equals(normalize("https://" + host.strip())))
                && (secure || notRebindable(host));
    }

    /** An IP literal or localhost: no name a web page's author controls. */
    private static boolean notRebindable(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            return true; // an IPv6 literal
        }
        int colon = name.lastIndexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        return name.equals("localhost") || IPV4.matcher(name).matches();
    }

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

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
        if (scheme == null
                || host == null
                || uri.getRawUserInfo() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort =
                port == -1 || (port == 80 && scheme.equals("http")) || (port == 443 && scheme.equals("https"));
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
