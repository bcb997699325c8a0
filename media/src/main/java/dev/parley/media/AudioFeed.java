package dev.parley.media;

import dev.onvoid.webrtc.media.audio.CustomAudioSource;

/** A {@link MediaSource} of audio pushed from Java: a synthetic tone, an echo of the peer. */
public interface AudioFeed extends MediaSource {
    /** The native source to create an audio track from; owned by this feed and disposed by {@link #close()}. */
    CustomAudioSource audioSource();
}
