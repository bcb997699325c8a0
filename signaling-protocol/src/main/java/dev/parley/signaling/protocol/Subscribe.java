package dev.parley.signaling.protocol;

import java.util.List;

/**
 * Asks for the presence of these users. It replaces the connection's previous subscription; the server answers
 * with one {@link Presence} per user at once and then sends each change.
 */
public record Subscribe(List<String> users) implements Message {
    public static final int MAX_USERS = 1000;

    public Subscribe {
        users = Checks.list(users, "users", MAX_USERS);
        users.forEach(u -> Checks.user(u, "users"));
    }
}
