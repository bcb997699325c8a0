package dev.parley.signaling.protocol;

/**
 * The server's answer to {@link LinkCreate} and {@link LinkRevoke}: a guest link's token, which the client turns
 * into the page address {@code http[s]://HOST:PORT/join/TOKEN} of the server it is connected to.
 *
 * @param token     the link's token: 22 characters of base64url (128 random bits)
 * @param expiresAt when it stops working, in Unix seconds
 * @param revoked   true when this answers a revocation
 */
public record Link(String token, long expiresAt, boolean revoked) implements Message {
    public Link {
        Checks.required(token, "token");
        Checks.optionalLinkToken(token, "token");
    }

    /** True if {@code s} has a link token's form (what {@link LinkCreate}'s answer carries). */
    public static boolean isToken(String s) {
        return s != null && AsciiSet.BASE64URL.spans(s, 16, 64);
    }

    @Override
    public String toString() {
        return "Link[token=***, expiresAt=" + expiresAt + ", revoked=" + revoked + "]";
    }
}
