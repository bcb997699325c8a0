package dev.parley.call;

import java.time.Duration;

/**
 * How calls are made.
 *
 * @param width           synthetic video width (fake media)
 * @param height          synthetic video height
 * @param fps             synthetic video frame rate
 * @param videoCodec      the video codec to prefer ("H264", "VP8", "VP9", "AV1"); the peer's may still win
 * @param fakeMedia       send a synthetic pattern and tone instead of the camera and microphone
 * @param fakeCamera      send the synthetic pattern instead of a camera, with the real microphone and speakers
 *                        (the sound system's path under test, on a machine without a camera)
 * @param echo            send the peer its own video and audio back instead of synthetic media (an echo service)
 * @param toneHz          pitch of the synthetic microphone's tone (fake media), so a receiver knows whose it hears
 * @param noAnswerTimeout an unanswered outgoing call ends after this
 * @param connectTimeout  an answered call that never gets media flowing ends after this (12 s: a call with no path
 *                        between the peers says so within 15 s of dialing; real paths, relays over TCP included,
 *                        connected within 0.4 s in the NAT lab)
 * @param lostTimeout     a call whose media stopped ends after this unless it recovers (an ICE restart is tried
 *                        meanwhile); with the ~2.5 s it takes to notice, a dead peer ends the call within 10 s
 */
public record CallOptions(
        int width,
        int height,
        int fps,
        String videoCodec,
        boolean fakeMedia,
        boolean fakeCamera,
        boolean echo,
        double toneHz,
        Duration noAnswerTimeout,
        Duration connectTimeout,
        Duration lostTimeout) {
    public static CallOptions defaults() {
        return new CallOptions(
                640,
                480,
                30,
                "H264",
                true,
                false,
                false,
                440,
                Duration.ofSeconds(45),
                Duration.ofSeconds(12),
                Duration.ofSeconds(5));
    }

    public CallOptions withLostTimeout(Duration d) {
        return new CallOptions(
                width,
                height,
                fps,
                videoCodec,
                fakeMedia,
                fakeCamera,
                echo,
                toneHz,
                noAnswerTimeout,
                connectTimeout,
                d);
    }

    /** How long a call may take from the accept to connected (a call set up by codes waits for a person). */
    public CallOptions withConnectTimeout(Duration d) {
        return new CallOptions(
                width, height, fps, videoCodec, fakeMedia, fakeCamera, echo, toneHz, noAnswerTimeout, d, lostTimeout);
    }

    public CallOptions withNoAnswerTimeout(Duration d) {
        return new CallOptions(
                width, height, fps, videoCodec, fakeMedia, fakeCamera, echo, toneHz, d, connectTimeout, lostTimeout);
    }

    public CallOptions withVideo(int w, int h, int f) {
        return new CallOptions(
                w, h, f, videoCodec, fakeMedia, fakeCamera, echo, toneHz, noAnswerTimeout, connectTimeout, lostTimeout);
    }

    public CallOptions withVideoCodec(String codec) {
        return new CallOptions(
                width,
                height,
                fps,
                codec,
                fakeMedia,
                fakeCamera,
                echo,
                toneHz,
                noAnswerTimeout,
                connectTimeout,
                lostTimeout);
    }

    public CallOptions withFakeMedia(boolean on) {
        return new CallOptions(
                width,
                height,
                fps,
                videoCodec,
                on,
                fakeCamera,
                echo,
                toneHz,
                noAnswerTimeout,
                connectTimeout,
                lostTimeout);
    }

    public CallOptions withFakeCamera(boolean on) {
        return new CallOptions(
                width,
                height,
                fps,
                videoCodec,
                fakeMedia,
                on,
                echo,
                toneHz,
                noAnswerTimeout,
                connectTimeout,
                lostTimeout);
    }

    public CallOptions withEcho(boolean on) {
        return new CallOptions(
                width,
                height,
                fps,
                videoCodec,
                fakeMedia,
                fakeCamera,
                on,
                toneHz,
                noAnswerTimeout,
                connectTimeout,
                lostTimeout);
    }

    public CallOptions withToneHz(double hz) {
        return new CallOptions(
                width,
                height,
                fps,
                videoCodec,
                fakeMedia,
                fakeCamera,
                echo,
                hz,
                noAnswerTimeout,
                connectTimeout,
                lostTimeout);
    }
}
