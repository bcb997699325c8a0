package dev.parley.signaling.protocol;

/**
 * The user who made a guest link ends it: nobody can join with it any more, and guests signed in with it are
 * signed out (a call that is already connected goes on: media does not pass the server). Answered with a
 * {@link Link} marked revoked.
 *
 * @param token the link's token
 */
public record LinkRevoke(String token) implements Message {
    public LinkRevoke {
        Checks.required(token, "token");
        Checks.optionalLinkToken(token, "token");
    }

    @Override
    public String toString() {
        return "LinkRevoke[token=***]"; // a live link lets a stranger call: never in a log
    }
}
