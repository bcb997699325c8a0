package dev.parley.media;

/** Something that produces media for a track (camera, microphone, screen, a synthetic pattern). */
public interface MediaSource extends AutoCloseable {
    /** Starts producing. */
    void start();

    /** Stops producing and frees what it holds. Idempotent. */
    @Override
    void close();
}
