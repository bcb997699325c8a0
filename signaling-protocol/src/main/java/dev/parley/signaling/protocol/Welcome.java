package dev.parley.signaling.protocol;

import java.util.List;

/**
 * The server's answer to a successful {@link Hello}.
 *
 * @param user                the authenticated user name
 * @param device              this connection's device id (the client's own, or one the server made up)
 * @param sessionId           an id for this connection, for logs
 * @param token               a resume token, to re-authenticate on reconnect without the password
 * @param tokenTtlSeconds     how long the token stays valid
 * @param iceServers          STUN/TURN servers for peer connections, TURN credentials included
 * @param pingIntervalSeconds how often the client should send {@link Ping} to keep the connection alive
 * @param server              free text naming the server software
 * @param guestOf             for a guest signed in by link: the user who made the link, the only one it may call
 */
public record Welcome(
        String user,
        String device,
        String sessionId,
        String token,
        long tokenTtlSeconds,
        List<IceServer> iceServers,
        int pingIntervalSeconds,
        String server,
        String guestOf)
        implements Message {
    public Welcome {
        Checks.user(user, "user");
        Checks.requiredText(device, "device", 64);
        Checks.requiredText(sessionId, "sessionId", 64);
        Checks.text(token, "token", 512);
        iceServers = Checks.list(iceServers == null ? List.of() : iceServers, "iceServers", 16);
        if (pingIntervalSeconds <= 0) {
            throw new IllegalArgumentException("field 'pingIntervalSeconds' must be positive");
        }
        Checks.text(server, "server", 128);
        Checks.optionalUser(guestOf, "guestOf");
    }

    public Welcome(
            String user,
            String device,
            String sessionId,
            String token,
            long tokenTtlSeconds,
            List<IceServer> iceServers,
            int pingIntervalSeconds,
            String server) {
        this(user, device, sessionId, token, tokenTtlSeconds, iceServers, pingIntervalSeconds, server, null);
    }

    @Override
    public String toString() {
        return "Welcome[user=" + user + ", device=" + device + ", sessionId=" + sessionId + ", iceServers=" + iceServers
                + ", pingIntervalSeconds=" + pingIntervalSeconds + ", server=" + server + ", guestOf=" + guestOf + "]";
    }
}
