package dev.parley.call;

import java.nio.file.Path;

/**
 * One file moving between the two people of a call, as either side sees it. A snapshot: listeners get a new one at
 * each change and about five times a second while bytes move ({@link CallSession#addFileListener}). Act on it
 * through {@link CallSession#acceptFile}, {@link CallSession#declineFile} and {@link CallSession#cancelFile}.
 *
 * @param id        the transfer's id, the same on both sides
 * @param sending   true on the sender's side
 * @param name      the file's name: the sender's own; on the receiver's side the peer's name made safe
 *                  ({@link FileNames#safe}), the saved file's final name once done
 * @param size      bytes announced
 * @param mime      the type the sender gave ("" if none), for display only
 * @param status    where it stands
 * @param bytes     bytes moved so far (sent and acknowledged by the channel, or written)
 * @param seconds   seconds since the bytes began to move (0 before)
 * @param savedAs   the received file, once {@link Status#DONE} on the receiver's side; else null
 * @param reason    why it failed, was cancelled or declined; else null
 * @param onLink    the bytes move on a file link, a connection of their own, rather than the call's (both sides know
 *                  once the transfer's channel is open)
 * @param overTcp   that link goes over TCP (the call's path is direct: docs/decisions/0010); false otherwise
 */
public record FileTransfer(
        String id,
        boolean sending,
        String name,
        long size,
        String mime,
        Status status,
        long bytes,
        double seconds,
        Path savedAs,
        String reason,
        boolean onLink,
        boolean overTcp) {

    /** Where a transfer stands. */
    public enum Status {
        /** Offered, waiting for the receiver's choice. */
        OFFERED,
        /** Accepted; bytes are moving. */
        MOVING,
        /** Every byte sent; waiting for the receiver's check of the hash. */
        CHECKING,
        /** Arrived whole and checked. */
        DONE,
        /** The receiver declined it. */
        DECLINED,
        /** Either side cancelled it, or the call ended. */
        CANCELLED,
        /** It did not arrive whole: {@link #reason()} says why. */
        FAILED;

        /** True when nothing more will happen to it. */
        public boolean over() {
            return this == DONE || this == DECLINED || this == CANCELLED || this == FAILED;
        }
    }

    /** Megabytes (10^6 bytes) a second so far; 0 before the bytes move. */
    public double megabytesPerSecond() {
        return seconds <= 0 ? 0 : bytes / seconds / 1e6;
    }
}
