package dev.parley.call;

import dev.parley.signaling.protocol.UserNames;

/**
 * Someone the user can call.
 *
 * @param user        their user name on the server
 * @param displayName what the user calls them; the user name when blank
 */
public record Contact(String user, String displayName) {
    public Contact {
        String reason = UserNames.invalidReason(user);
        if (reason != null) {
            throw new IllegalArgumentException("'" + user + "' is not a valid user name: " + reason);
        }
        displayName = displayName == null || displayName.isBlank() ? user : displayName.strip();
        if (displayName.length() > 100) {
            throw new IllegalArgumentException("a display name has at most 100 characters");
        }
    }
}
