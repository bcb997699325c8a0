package dev.parley.signaling.protocol;

/** Ends being {@code to}'s contact (or withdraws a request to them): neither sees the other's presence any more. */
public record ContactRemove(String from, String to) implements ContactMessage {
    public ContactRemove {
        Checks.optionalUser(from, "from");
        Checks.user(to, "to");
    }

    @Override
    public ContactRemove withFrom(String from) {
        return new ContactRemove(from, to);
    }
}
