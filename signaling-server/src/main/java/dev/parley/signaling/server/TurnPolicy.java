package dev.parley.signaling.server;

/**
 * Who gets TURN credentials with their {@code welcome}. A TURN relay carries whole calls and costs its operator
 * bandwidth, so an open server (any name, no password) must not hand credentials to any stranger who connects:
 * they go to clients on this machine, and to clients that proved a secret (a password, a join code), unless the
 * operator says everyone may have them ({@code --turn-for-everyone}). STUN needs no credentials and is always
 * handed out.
 *
 * <p>Whether a client proved a secret is asked of the authenticator itself, whatever it is: would it have let
 * the same user, device and address in without any password? If so (open mode, name claims), nothing was proved.
 * Thread-safe if the authenticator is (as it must be).
 */
final class TurnPolicy {
    private final Authenticator authenticator;
    private final boolean everyone;

    TurnPolicy(Authenticator authenticator, boolean everyone) {
        this.authenticator = authenticator;
        this.everyone = everyone;
    }

    /** True if a client signed in by {@code signedIn} may have TURN credentials. */
    boolean allows(Authenticator.Attempt signedIn) {
        if (everyone || signedIn.fromLoopback()) {
            return true;
        }
        return !authenticator.authenticate(
                new Authenticator.Attempt(signedIn.user(), null, signedIn.device(), signedIn.remote()));
    }
}
