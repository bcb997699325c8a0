package dev.parley.signaling.server;

import dev.parley.signaling.protocol.PresenceStatus;
import java.util.Set;

/**
 * A signed-in device as presence and routing see it: whose it is, what it watches, and a way to hand it text.
 * {@link Connection} in the server; a recording fake in tests. The presence state is guarded by the {@link Hub}'s
 * lock, and is kept on the endpoint rather than in a map because a connection's memory is what limits the server.
 */
interface Endpoint {
    String user();

    String device();

    /** Queues a text for the client; never blocks. */
    void sendText(String text);

    /** This device's own status; a new connection is online. */
    PresenceStatus status();

    void setStatus(PresenceStatus status);

    /** The users whose presence this device is subscribed to, in the order asked. */
    Set<String> watching();

    void setWatching(Set<String> users);
}
