package dev.parley.signaling.protocol;

/**
 * A signed-in user asks the server for a guest link: a token that lets one person with only a web browser call
 * this user, and only this user, until it expires or is revoked. The server answers with a {@link Link}.
 *
 * @param ttlSeconds how long the link stays valid; {@code 0} for the server's default (24 hours). The server
 *                   refuses less than a minute and more than a week
 */
public record LinkCreate(long ttlSeconds) implements Message {
    public LinkCreate {
        if (ttlSeconds < 0) {
            throw new IllegalArgumentException("field 'ttlSeconds' must not be negative");
        }
    }
}
