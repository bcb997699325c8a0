package dev.parley.ui;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Controls the signaling server built into the app, used when no other server is set: the app signs in to it by itself
 * (over loopback, with this installation's secret), and the user may open it to the local network so others can call
 * in: they sign in with the join code it shows.
 */
public interface LocalServer {
    /**
     * What others need to join while the server is open to the network.
     *
     * @param addresses the ws:// addresses of this computer, to give others
     * @param joinCode  the password they sign in with (new each time hosting is turned on)
     */
    record Hosting(List<String> addresses, String joinCode) {
        public Hosting {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * Starts the server if it is not running (with the "Echo test" peer); completes with where this computer's
     * own client signs in. Runs off the caller's thread.
     */
    CompletableFuture<URI> start();

    /** The user this computer signs in as. */
    String localUser();

    /**
     * The password this computer's own client signs in with (the server refuses local sign-ins without it); known
     * once {@link #start()} has completed, null before.
     */
    String localSecret();

    boolean hostingOnNetwork();

    /**
     * Opens the server to the local network or closes it to this computer only; completes with what to give
     * others, or null when closed. Turning it on makes a new join code; asking again while open keeps it. Runs off
     * the caller's thread.
     */
    CompletableFuture<Hosting> hostOnNetwork(boolean on);

    /** How many people other than this computer's own user (and its echo test) are signed in now; 0 if not running. */
    int othersSignedIn();
}
