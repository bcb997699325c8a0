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
 */
public record Hello(String user, String password, String token, String device, String client) implements Message {
    public Hello {
        if (token == null) {
            Checks.user(user, "user");
        } else {
            Checks.optionalUser(user, "user");
            Checks.text(token, "token", 512);
        }
        Checks.text(password, "password", Checks.MAX_TEXT);
        Checks.optionalDevice(device, "device");
        Checks.optionalClient(client, "client");
    }

    public static Hello withPassword(String user, String password, String device) {
        return new Hello(user, password, null, device, "parley");
    }

    @Override
    public String toString() {
        // Never log secrets.
        return "Hello[user=" + user + ", password=" + (password == null ? "none" : "***") + ", token="
                + (token == null ? "none" : "***") + ", device=" + device + ", client=" + client + "]";
    }
}
