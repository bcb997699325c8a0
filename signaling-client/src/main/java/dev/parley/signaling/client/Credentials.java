package dev.parley.signaling.client;

import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Welcome;

/**
 * What the client signs in with: the resume token of the latest {@code welcome} while it has one, else the
 * configured password. A token is shown only to the server that gave it (another node of the service would refuse
 * it, and it is none of its business). Not thread-safe: the client's lock guards it.
 */
final class Credentials {
    static final String CLIENT_NAME = "parley/0.1";

    private final ClientConfig config;
    private String token;
    private java.net.URI tokenFrom;

    Credentials(ClientConfig config) {
        this.config = config;
    }

    /** The hello for signing in to {@code server}: with the token it gave, else with the password. */
    Hello hello(java.net.URI server) {
        return token != null && server.equals(tokenFrom)
                ? new Hello(config.user(), null, token, config.device(), CLIENT_NAME)
                : new Hello(config.user(), config.password(), null, config.device(), CLIENT_NAME);
    }

    /** Keeps the welcome's token for the next sign-in. */
    void welcomed(Welcome w, java.net.URI from) {
        token = w.token();
        tokenFrom = from;
    }

    /**
     * The server refused our sign-in. If that was a token (expired, or the server restarted) and there is a
     * password, forgets the token and returns true: try again at once with the password. Otherwise the refusal is
     * final.
     */
    boolean retryWithPassword() {
        if (token != null && config.password() != null) {
            token = null;
            return true;
        }
        return false;
    }
}
