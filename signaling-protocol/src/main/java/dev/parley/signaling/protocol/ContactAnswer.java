package dev.parley.signaling.protocol;

/** Answers {@code to}'s contact request: accepted (each sees the other's presence from now on) or not. */
public record ContactAnswer(String from, String to, boolean accept) implements ContactMessage {
    public ContactAnswer {
        Checks.optionalUser(from, "from");
        Checks.user(to, "to");
    }

    @Override
    public ContactAnswer withFrom(String from) {
        return new ContactAnswer(from, to, accept);
    }
}
