package dev.parley.signaling.server;

/**
 * What a node's {@link Hub} tells the other nodes of its cluster and asks of them ({@link RedisCluster}), or
 * {@link #ALONE} for a server on its own. The first group is called under the hub's lock and only queues; the
 * second is called off it and may wait briefly on the cluster's store.
 */
interface ClusterLink extends CallRouter.RouteLog {
    /** A server on its own: nothing is shared, nothing is elsewhere. */
    ClusterLink ALONE = new ClusterLink() {
        @Override
        public boolean clustered() {
            return false;
        }

        @Override
        public String node() {
            return "";
        }

        @Override
        public void deviceUp(Endpoint device) {}

        @Override
        public void deviceDown(Endpoint device) {}

        @Override
        public void deliver(RemoteDevice to, String text) {}

        @Override
        public String changeContact(String a, String b, String expected, String state) {
            throw new IllegalStateException("not in a cluster");
        }

        @Override
        public CallRecord find(String callId) {
            return null;
        }

        @Override
        public String ownerSeen(String callId) {
            return null;
        }

        @Override
        public boolean alive(String node) {
            return false;
        }

        @Override
        public boolean takeOver(String callId, String deadOwner) {
            return false;
        }

        @Override
        public void forward(String owner, String callId, Endpoint from, String encoded) {}

        @Override
        public void opened(CallRoute route) {}

        @Override
        public void answered(CallRoute route) {}

        @Override
        public void closed(CallRoute route) {}
    };

    boolean clustered();

    /** This node's id in the cluster. */
    String node();

    // ---- under the hub's lock: these only queue ----

    /** One of this node's devices signed in, or changed its status. */
    void deviceUp(Endpoint device);

    /** One of this node's devices signed out. */
    void deviceDown(Endpoint device);

    /** Hands a text to a device signed in on another node. */
    void deliver(RemoteDevice to, String text);

    // ---- off the lock ----

    /**
     * The route of a call as its owner last wrote it, or null if no node routes it.
     *
     * @throws Unavailable when the cluster's store cannot be reached
     */
    CallRecord find(String callId);

    /** The owner {@link #find} last found for the call, if remembered (no store asked); null if not. */
    String ownerSeen(String callId);

    /**
     * Sets a contact pair's state ({@link ContactBook#pairState}; null: nothing) in the cluster's book if it is still
     * {@code expected} there, and tells every node the pair's state as it then is. Returns that state: {@code state}
     * if it was taken, else what another node made it meanwhile.
     *
     * @throws Unavailable when the cluster's store cannot be reached (the change is not made)
     */
    String changeContact(String a, String b, String expected, String state);

    /** Whether the node is alive (it beat its heart lately). */
    boolean alive(String node);

    /** Makes this node the owner of a call whose owner died; false if another node took it first. */
    boolean takeOver(String callId, String deadOwner);

    /** Sends a call message of one of this node's devices to the node that routes the call. */
    void forward(String owner, String callId, Endpoint from, String encoded);

    /** A call's route as kept in the cluster's store (the callee's device is null while it rings). */
    record CallRecord(
            String callId, String owner, String caller, String callerDevice, String callee, String calleeDevice) {}

    /** The cluster's store cannot be reached: this node serves its own users only until it can. */
    final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
