package dev.parley.call;

import java.time.Duration;

/**
 * How calls are made.
 *
 * @param width           synthetic video width (fake media)
 * @param height          synthetic video height
 * @param fps             synthetic video frame rate
 * @param noAnswerTimeout an unanswered outgoing call ends after this
 * @param connectTimeout  an answered call that never gets media flowing ends after this
 * @param lostTimeout     a call whose media stopped ends after this unless it recovers (libwebrtc reports
 *                        "disconnected" a few seconds after the last packet; both together stay under 10 s)
 */
public record CallOptions(int width, int height, int fps, Duration noAnswerTimeout, Duration connectTimeout,
                          Duration lostTimeout) {
    public static CallOptions defaults() {
        return new CallOptions(640, 480, 30, Duration.ofSeconds(45), Duration.ofSeconds(15), Duration.ofSeconds(5));
    }

    public CallOptions withNoAnswerTimeout(Duration d) {
        return new CallOptions(width, height, fps, d, connectTimeout, lostTimeout);
    }
}
