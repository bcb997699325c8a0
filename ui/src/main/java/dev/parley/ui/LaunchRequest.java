package dev.parley.ui;

/**
 * What a launch of the app asks of the window: to come to the front, and maybe to call someone (a
 * {@code parley:call/NAME} link, which the window asks about before dialing) or to say that a link could not be
 * opened. Made by the app from the command line of the first launch or of a later one handed over to the running
 * app.
 *
 * @param callUser who a link asks to call (a valid user name), or null
 * @param badLink  a link that could not be opened, cut short and with control characters replaced (it is anyone's
 *                 input), or null
 */
public record LaunchRequest(String callUser, String badLink) {
    private static final int SHOWN_LENGTH = 80;

    /** Just come to the front. */
    public static LaunchRequest front() {
        return new LaunchRequest(null, null);
    }

    /** Ask whether to call {@code user}; a valid user name. */
    public static LaunchRequest call(String user) {
        return new LaunchRequest(user, null);
    }

    /** Say that {@code link} cannot be opened. */
    public static LaunchRequest badLink(String link) {
        return new LaunchRequest(null, shown(link));
    }

    /** A link as it may be shown and logged: no control or format characters (line breaks, bidi overrides), short. */
    static String shown(String link) {
        StringBuilder out = new StringBuilder();
        link.codePoints().limit(SHOWN_LENGTH).forEach(c -> {
            int type = Character.getType(c);
            boolean hidden = Character.isISOControl(c)
                    || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR
                    || type == Character.SURROGATE
                    || type == Character.PRIVATE_USE
                    || type == Character.UNASSIGNED;
            out.appendCodePoint(hidden ? '\uFFFD' : c);
        });
        if (link.codePointCount(0, link.length()) > SHOWN_LENGTH) {
            out.append('\u2026');
        }
        return out.toString();
    }
}
