package dev.parley.signaling.protocol;

/** The callee takes the call; the first device to accept wins. */
public record Accept(String callId, String from, String to) implements CallMessage {
    public Accept {
        Checks.route(callId, from, to);
    }

    @Override
    public Accept withFrom(String from) {
        return new Accept(callId, from, to);
    }
}
