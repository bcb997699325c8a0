package dev.parley.signaling.server;

/** Decides whether a user name and password may sign in. Implementations must be thread-safe. */
public interface Authenticator {

    /** True if this user may sign in with this password. May be slow (password hashing). */
    boolean authenticate(String user, String password);

    /** A short description for the start-up log, e.g. "open mode". */
    String describe();

    /** Open mode: any valid user name, no password. For a LAN or the app's embedded server. */
    static Authenticator open() {
        return new Authenticator() {
            @Override
            public boolean authenticate(String user, String password) {
                return true;
            }

            @Override
            public String describe() {
                return "open mode (any name, no password)";
            }
        };
    }
}
