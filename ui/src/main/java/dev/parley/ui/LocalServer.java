package dev.parley.ui;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Controls the signaling server built into the app, used when no other server is set: the app signs in to it by itself,
 * and the user may open it to the local network so others can call in.
 */
public interface LocalServer {
    /**
     * Starts the server if it is not running (with the "Echo test" peer); completes with where this computer's
     * own client signs in. Runs off the caller's thread.
     */
    CompletableFuture<URI> start();

    /** The user this computer signs in as. */
    String localUser();

    boolean hostingOnNetwork();

    /**
     * Opens the server to the local network or closes it to this computer only; completes with the addresses to
     * give to others (empty when closed). Runs off the caller's thread.
     */
    CompletableFuture<List<String>> hostOnNetwork(boolean on);
}
