package dev.parley.signaling.protocol;

/**
 * A message about one call, routed by the server from one user to another.
 *
 * <p>The sender never chooses {@link #from()}: clients may leave it empty, and the server overwrites it with the
 * authenticated user before routing ({@link #withFrom(String)}), so nobody can speak as someone else.
 */
public sealed interface CallMessage extends Message
        permits Invite, Ringing, Accept, Decline, Busy, Cancel, Offer, Answer, Candidate, Hangup, Verify {

    /** The call this message belongs to; chosen by the caller, unique per call. */
    String callId();

    /** The authenticated sender, stamped by the server; {@code null} on the way from a client to the server. */
    String from();

    /** The addressee's user name. */
    String to();

    /** A copy of this message with the sender replaced. */
    CallMessage withFrom(String from);
}
