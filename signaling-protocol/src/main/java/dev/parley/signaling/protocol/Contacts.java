package dev.parley.signaling.protocol;

import java.util.List;

/**
 * The server's word on the user's contacts, sent after sign-in and whenever they change: who is a contact
 * ({@code accepted}: presence is shared), who asked to be one ({@code incoming}), and whom the user asked
 * ({@code outgoing}, not answered yet).
 */
public record Contacts(List<String> accepted, List<String> incoming, List<String> outgoing) implements Message {
    public static final int MAX_CONTACTS = 1000;

    public Contacts {
        accepted = Checks.list(accepted, "accepted", MAX_CONTACTS);
        incoming = Checks.list(incoming, "incoming", MAX_CONTACTS);
        outgoing = Checks.list(outgoing, "outgoing", MAX_CONTACTS);
        accepted.forEach(u -> Checks.user(u, "accepted"));
        incoming.forEach(u -> Checks.user(u, "incoming"));
        outgoing.forEach(u -> Checks.user(u, "outgoing"));
    }
}
