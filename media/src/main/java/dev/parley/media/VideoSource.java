package dev.parley.media;

import dev.onvoid.webrtc.media.video.VideoTrackSource;

/** A {@link MediaSource} of video: a camera, a screen, a synthetic pattern. */
public interface VideoSource extends MediaSource {
    /** The native source to create a video track from; owned by this source and disposed by {@link #close()}. */
    VideoTrackSource videoSource();
}
