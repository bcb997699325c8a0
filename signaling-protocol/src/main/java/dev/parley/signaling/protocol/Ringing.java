package dev.parley.signaling.protocol;

/** The callee's device is ringing. */
public record Ringing(String callId, String from, String to) implements CallMessage {
    public Ringing {
        Checks.route(callId, from, to);
    }

    @Override
    public Ringing withFrom(String from) {
        return new Ringing(callId, from, to);
    }
}
