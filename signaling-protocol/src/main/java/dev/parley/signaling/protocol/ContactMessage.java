package dev.parley.signaling.protocol;

/**
 * A message between two users about being each other's contact: presence is shown only between contacts (a
 * request the other side accepted, kept by the server). Routed like call messages: the server stamps
 * {@link #from()} with the authenticated sender, so nobody asks or answers as someone else.
 */
public sealed interface ContactMessage extends Message permits ContactRequest, ContactAnswer, ContactRemove {
    /** The authenticated sender, stamped by the server; {@code null} on the way from a client to the server. */
    String from();

    /** The other user. */
    String to();

    /** A copy of this message with the sender replaced. */
    ContactMessage withFrom(String from);
}
