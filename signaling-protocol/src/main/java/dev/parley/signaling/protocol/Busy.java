package dev.parley.signaling.protocol;

/** The callee is in another call. */
public record Busy(String callId, String from, String to) implements CallMessage {
    public Busy {
        Checks.route(callId, from, to);
    }

    @Override
    public Busy withFrom(String from) {
        return new Busy(callId, from, to);
    }
}
