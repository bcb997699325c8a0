package dev.parley.signaling.protocol;

/** What {@link MessageCodec#decode(String)} makes of a text: a message, or a typed reason why not. */
public sealed interface DecodeResult {

    /** The text was a valid message. */
    record Decoded(Message message) implements DecodeResult {}

    /**
     * The text was not a valid message.
     *
     * @param code   which kind of problem
     * @param reason a human-readable explanation
     * @param type   the {@code type} tag, if the text had a readable one
     * @param callId the {@code callId}, if the text had a readable one
     */
    record Failure(ErrorCode code, String reason, String type, String callId) implements DecodeResult {
        /** Longer reasons are cut: a parser's message may quote the text (a key of 4,000 characters, found by fuzzing). */
        static final int MAX_REASON = 300;

        public Failure {
            if (reason != null && reason.length() > MAX_REASON) {
                int cut = Character.isHighSurrogate(reason.charAt(MAX_REASON - 2)) ? MAX_REASON - 2 : MAX_REASON - 1;
                reason = reason.substring(0, cut) + "…";
            }
        }

        /** The error to send back to whoever sent the text. */
        public ErrorMessage toErrorMessage() {
            return new ErrorMessage(code, reason, type, callId);
        }
    }
}
