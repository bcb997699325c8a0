package dev.parley.signaling.protocol;

/**
 * The first message a client sends: who it is and how it proves it.
 *
 * @param user     the user name (lower case); required unless a {@code token} is given
 * @param password the password; ignored by a server in open mode
 * @param token    a resume token from an earlier {@link Welcome}, used instead of the password on reconnect
 * @param device   a stable id of this installation, so a reconnect replaces its own stale session and other
 *                 devices of the same user stay signed in; the server makes one up when absent. 1 to 64 of
 *                 {@code A-Z a-z 0-9 . _ : -} (a UUID fits): it ends up in the server's logs
 * @param client   text naming the client software, for logs: 1 to 128 printable ASCII characters
 * @param link     a guest link's token: signs in as a guest of the link's owner instead of as a user (then
 *                 {@code user} and {@code password} are left out and {@code name} is required; a {@code token}
 *                 from the guest's own earlier {@link Welcome} signs the same guest in again, for its call to go on)
 * @param name     a guest's display name, as typed: 1 to 64 characters, no control or text-direction characters
 */
public record Hello(String user, String password, String token, String device, String client, String link, String name)
        implements Message {
    public Hello {
        Checks.optionalLinkToken(link, "link");
        Checks.optionalDisplayName(name, "name");
        if (link != null) {
            if (user != null || password != null) {
                throw new IllegalArgumentException("a guest's hello (with 'link') has no 'user' or 'password'");
            }
            Checks.required(name, "name");
            Checks.text(token, "token", 512);
        } else if (name != null) {
            throw new IllegalArgumentException("field 'name' is for a guest's hello (with 'link')");
        } else if (token == null) {
            Checks.user(user, "user");
        } else {
            Checks.optionalUser(user, "user");
            Checks.text(token, "token", 512);
        }
        Checks.text(password, "password", Checks.MAX_TEXT);
        Checks.optionalDevice(device, "device");
        Checks.optionalClient(client, "client");
    }

    public Hello(String user, String password, String token, String device, String client) {
        this(user, password, token, device, client, null, null);
    }

    /** A guest's sign-in with a link's token and the name they typed. */
    public static Hello guest(String link, String name, String device, String client) {
        return new Hello(null, null, null, device, client, link, name);
    }

    /** A guest signing in again (its connection dropped) with the resume token of its earlier welcome. */
    public static Hello guestAgain(String link, String name, String token, String device, String client) {
        return new Hello(null, null, token, device, client, link, name);
    }

    public static Hello withPassword(String user, String password, String device) {
        return new Hello(user, password, null, device, "parley");
    }

    @Override
    public String toString() {
        // Never log secrets.
        return "Hello[user=" + user + ", password=" + (password == null ? "none" : "***") + ", token="
                + (token == null ? "none" : "***") + ", device=" + device + ", client=" + client + ", link="
                + (link == null ? "none" : "***") + "]";
    }
}
