package dev.parley.call;

/**
 * The short code two people read to each other to check that nobody sits between them ({@link Verification}):
 * the same code on both sides means both sides' media keys are each other's.
 *
 * @param status  where the verification stands
 * @param code    six characters once {@link Status#READY}, else null
 * @param problem why the call cannot be verified when {@link Status#FAILED}, else null
 * @param peerKey the peer's DTLS fingerprints ("sha-256 AB:…", one per line) once {@link Status#READY}: what
 *                {@link Trust} remembers when the user marks the peer as verified
 */
public record SecurityCode(Status status, String code, String problem, String peerKey) {
    /** Where a call's verification stands. */
    public enum Status {
        /** Nonces or descriptions still missing (or the peer's Parley does not verify calls). */
        PENDING,
        /** Both sides can read {@link #code()} to each other. */
        READY,
        /** The peer broke the protocol (a reveal that does not match its commitment): the call is not verified. */
        FAILED
    }

    public static final SecurityCode PENDING = new SecurityCode(Status.PENDING, null, null, null);

    /** The code as shown and read aloud: two groups of three ("ybn drf"); empty without a code. */
    public String display() {
        return code == null ? "" : code.substring(0, 3) + " " + code.substring(3);
    }
}
