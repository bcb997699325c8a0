package dev.parley.app;

import dev.parley.signaling.protocol.UserNames;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code parley:call/NAME} links (also {@code parley://call/NAME}), as desktop entries and browsers pass them. */
final class CallLink {
    private static final Pattern LINK = Pattern.compile("parley:(?://)?call/([^/?#]+)/?");

    private CallLink() {
    }

    /** The user a link calls, or null if it is not a call link to a valid user name. */
    static String user(String link) {
        Matcher m = LINK.matcher(link.strip());
        if (!m.matches()) {
            return null;
        }
        String user;
        try {
            user = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) { // "%zz": a link is anyone's input
            return null;
        }
        return UserNames.invalidReason(user) == null ? user : null;
    }
}
