package dev.parley.signaling.protocol;

/**
 * A user's availability. From a client it sets the sender's own status ({@code user} is ignored and may be
 * left out; {@code offline} is not accepted: disconnecting is how one goes offline). From the server it reports
 * the status of a subscribed user.
 */
public record Presence(String user, PresenceStatus status) implements Message {
    public Presence {
        Checks.optionalUser(user, "user");
        Checks.required(status, "status");
    }
}
