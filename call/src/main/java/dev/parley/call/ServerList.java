package dev.parley.call;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The signaling server as the user gives it: one {@code ws://} or {@code wss://} URL, or several nodes of one
 * service separated by commas ({@code wss://a.example/signal, wss://b.example/signal}), all of one scheme. The
 * client tries them in order and moves to the next when one cannot be reached or its connection drops.
 */
public final class ServerList {
    /** More is a typo, not a service. */
    static final int MAX_SERVERS = 16;

    private ServerList() {}

    /**
     * The URLs in {@code text}, in order, without repeats.
     *
     * @throws IllegalArgumentException what is wrong with it: empty, not a ws/wss URL with a host, or mixed schemes
     */
    public static List<URI> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no server given");
        }
        List<URI> servers = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.strip();
            URI uri;
            try {
                uri = new URI(p);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: " + p);
            }
            if (!("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not a ws:// or wss:// URL with a host: " + p);
            }
            if (!servers.isEmpty() && !Objects.equals(servers.get(0).getScheme(), uri.getScheme())) {
                throw new IllegalArgumentException("the servers of one service share a scheme: " + p);
            }
            if (!servers.contains(uri)) {
                servers.add(uri);
            }
        }
        if (servers.size() > MAX_SERVERS) {
            throw new IllegalArgumentException("at most " + MAX_SERVERS + " servers");
        }
        return List.copyOf(servers);
    }

    /** As the settings keep it: the URLs joined by commas. */
    public static String format(List<URI> servers) {
        return servers.stream().map(URI::toString).collect(Collectors.joining(","));
    }
}
