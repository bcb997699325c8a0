package dev.parley.call;

/**
 * What one side of a call sends, as it tells the other over the call's data channel. A disabled track sends
 * nothing and the receiver gets no event (shared/WEBRTC-NOTES.md), so this is how "camera off" and "muted" reach
 * the peer.
 *
 * @param camera     the camera is on
 * @param microphone the microphone is on (not muted)
 * @param screen     the screen is being shared
 */
public record PeerMedia(boolean camera, boolean microphone, boolean screen) {
    /** What a call starts with, and what is assumed of the peer until it says otherwise. */
    public static final PeerMedia INITIAL = new PeerMedia(true, true, false);

    public PeerMedia withCamera(boolean on) {
        return new PeerMedia(on, microphone, screen);
    }

    public PeerMedia withMicrophone(boolean on) {
        return new PeerMedia(camera, on, screen);
    }

    public PeerMedia withScreen(boolean on) {
        return new PeerMedia(camera, microphone, on);
    }
}
