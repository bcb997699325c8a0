package dev.parley.ui;

import org.kordamp.ikonli.javafx.FontIcon;

/** Names the Material Design icons (Ikonli) the app uses, by their literal names, in one place. */
final class Icons {
    static final String MIC = "mdi2m-microphone";
    static final String MIC_OFF = "mdi2m-microphone-off";
    static final String CAMERA = "mdi2v-video";
    static final String CAMERA_OFF = "mdi2v-video-off";
    static final String SCREEN = "mdi2m-monitor-share";
    static final String SCREEN_OFF = "mdi2m-monitor-off";
    static final String CHAT = "mdi2m-message-text";
    static final String HANG_UP = "mdi2p-phone-hangup";
    static final String CALL = "mdi2p-phone";
    static final String VIDEO_CALL = "mdi2v-video";
    static final String DETAILS = "mdi2i-information-outline";
    static final String SETTINGS = "mdi2c-cog";
    static final String ADD = "mdi2a-account-plus";
    static final String EDIT = "mdi2p-pencil";
    static final String REMOVE = "mdi2d-delete";
    static final String SIGN_OUT = "mdi2l-logout";
    static final String SEARCH = "mdi2m-magnify";
    static final String OUTGOING = "mdi2c-call-made";
    static final String INCOMING = "mdi2c-call-received";
    static final String MISSED = "mdi2c-call-missed";
    static final String SIGNAL = "mdi2s-signal";
    static final String SHIELD = "mdi2s-shield-check-outline";
    static final String SHIELD_ALERT = "mdi2s-shield-alert-outline";
    static final String HOSTING = "mdi2l-lan-connect";
    static final String ATTACH = "mdi2p-paperclip";
    static final String LINK = "mdi2l-link-variant";

    private Icons() {}

    static FontIcon icon(String literal) {
        FontIcon icon = new FontIcon(literal);
        icon.setIconSize(18);
        return icon;
    }
}
