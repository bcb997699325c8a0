package dev.parley.signaling.protocol;

/** Asks {@code to} to become a contact (and so to see each other's presence). */
public record ContactRequest(String from, String to) implements ContactMessage {
    public ContactRequest {
        Checks.optionalUser(from, "from");
        Checks.user(to, "to");
    }

    @Override
    public ContactRequest withFrom(String from) {
        return new ContactRequest(from, to);
    }
}
