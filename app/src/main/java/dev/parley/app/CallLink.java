package dev.parley.app;

import dev.parley.signaling.protocol.UserNames;
import dev.parley.ui.LaunchRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code parley:call/NAME} links (also {@code parley://call/NAME}), as desktop entries and browsers pass them, and what
 * a launch of the desktop app asks with them.
 */
final class CallLink {
    private static final Pattern LINK = Pattern.compile("parley:(?://)?call/([^/?#]+)/?");

    private CallLink() {}

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

    /**
     * What a desktop launch's arguments ask of the window: nothing but the front (no arguments), to call a link's
     * user (asked first), or to say a link is bad; null for anything else (not a launch the app makes: a handed-over
     * request is anyone's input).
     */
    static LaunchRequest request(List<String> args) {
        if (args.isEmpty()) {
            return LaunchRequest.front();
        }
        if (args.size() == 1 && args.get(0).startsWith("parley:")) {
            String user = user(args.get(0));
            return user != null ? LaunchRequest.call(user) : LaunchRequest.badLink(args.get(0));
        }
        return null;
    }
}
