package dev.parley.ui;

import dev.parley.call.CallState;
import dev.parley.call.DeviceNotice;
import dev.parley.call.EndReason;
import dev.parley.call.PeerMedia;
import dev.parley.call.Trust;
import java.util.Locale;

/**
 * Words a call screen shows for where the call stands: the status line (or the timer), the note over a missing
 * picture, and the connection quality. Pure: the same state always reads the same.
 */
final class CallTexts {
    private final Messages text;

    CallTexts(Messages text) {
        this.text = text;
    }

    /** The status line: what the call is doing, the time since it connected, or why it ended. */
    String status(CallState state, EndReason reason, long connectedSeconds) {
        return switch (state) {
            case IDLE, DIALING -> text.get("call.calling");
            case RINGING, CONNECTING -> text.get("call.connecting");
            case CONNECTED -> clock(Math.max(0, connectedSeconds));
            case RECONNECTING -> text.get("call.reconnecting");
            case ENDED -> text.get("call.ended", reason == null ? "" : text.get("end." + reason.wireName()));
        };
    }

    /** What the peer's stage says while it shows no picture of them. */
    String placeholder(CallState state, PeerMedia peer, String peerName) {
        return switch (state) {
            case IDLE, DIALING -> text.get("call.calling");
            case RINGING, CONNECTING -> text.get("call.connecting");
            case ENDED -> "";
            default -> !peer.camera() ? text.get("call.remoteCameraOff", peerName) : text.get("call.waitingVideo");
        };
    }

    /** What to tell the user about a device the call was using. */
    String notice(DeviceNotice n) {
        return switch (n.kind()) {
            case CAMERA_SWITCHED -> text.get("call.notice.cameraSwitched", n.lost(), n.now());
            case CAMERA_GONE -> text.get("call.notice.cameraGone", n.lost());
            case CAMERA_UNUSABLE -> text.get("call.notice.cameraUnusable", n.lost());
            case SWITCH_FAILED -> text.get("call.notice.switchFailed", n.lost());
            case NO_CAMERA -> text.get("call.notice.noCamera");
            case NO_SOUND -> text.get("call.notice.noSound");
            case NO_CAMERA_NO_SOUND -> text.get("call.notice.noCameraNoSound");
            case SCREEN_REFUSED -> text.get("call.notice.screenRefused");
        };
    }

    /** What the peer's key means for this call (Trust): verified before, or changed; null when never verified. */
    String standing(Trust.Standing standing, String peer) {
        return switch (standing) {
            case VERIFIED -> text.get("call.verifiedHint", peer);
            case CHANGED -> text.get("details.changed", peer);
            case UNKNOWN -> null;
        };
    }

    String quality(CallViewModel.Quality quality) {
        return text.get("quality." + quality.name().toLowerCase(Locale.ROOT));
    }

    /** A duration as a call timer: m:ss, or h:mm:ss from an hour on. */
    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
