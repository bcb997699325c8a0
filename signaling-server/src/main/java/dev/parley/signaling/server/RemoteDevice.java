package dev.parley.signaling.server;

import dev.parley.signaling.protocol.PresenceStatus;
import java.util.Set;

/**
 * A device signed in on another node of the cluster, as this node's presence and routing see it: texts for it go
 * to its node ({@link ClusterLink#deliver}); what it watches is its own node's business. Guarded by the
 * {@link Hub}'s lock like every endpoint's presence state.
 */
final class RemoteDevice implements Endpoint {
    private final String node;
    private final String user;
    private final String device;
    private final ClusterLink cluster;
    private PresenceStatus status;

    RemoteDevice(String node, String user, String device, PresenceStatus status, ClusterLink cluster) {
        this.node = node;
        this.user = user;
        this.device = device;
        this.status = status;
        this.cluster = cluster;
    }

    String node() {
        return node;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public void sendText(String text) {
        cluster.deliver(this, text);
    }

    @Override
    public PresenceStatus status() {
        return status;
    }

    @Override
    public void setStatus(PresenceStatus status) {
        this.status = status;
    }

    @Override
    public Set<String> watching() {
        return Set.of();
    }

    @Override
    public void setWatching(Set<String> users) {
        // what a device on another node watches is kept there
    }

    @Override
    public String toString() {
        return user + "/" + device + "@" + node;
    }
}
