package dev.parley.signaling.protocol;

/** The caller gives up before the call was answered; from the server, also "answered elsewhere". */
public record Cancel(String callId, String from, String to, String reason) implements CallMessage {
    public Cancel {
        Checks.route(callId, from, to);
        Checks.text(reason, "reason", Checks.MAX_TEXT);
    }

    @Override
    public Cancel withFrom(String from) {
        return new Cancel(callId, from, to, reason);
    }
}
