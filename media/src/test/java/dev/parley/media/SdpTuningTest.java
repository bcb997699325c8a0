package dev.parley.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SdpTuningTest {
    private static final String OFFER = String.join(
            "\r\n",
            "v=0",
            "o=- 1 2 IN IP4 127.0.0.1",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "a=rtpmap:111 opus/48000/2",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 nack",
            "a=rtpmap:97 rtx/90000",
            "a=fmtp:97 apt=96",
            "a=rtpmap:102 H264/90000",
            "a=rtcp-fb:102 nack",
            "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "");

    @Test
    void everyVideoCodecGetsTheStartRateOnceAndNothingElseChanges() {
        String expected = String.join(
                "\r\n",
                "v=0",
                "o=- 1 2 IN IP4 127.0.0.1",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111",
                "a=rtpmap:111 opus/48000/2",
                "a=fmtp:111 minptime=10;useinbandfec=1",
                "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102",
                "a=rtpmap:96 VP8/90000",
                "a=fmtp:96 x-google-start-bitrate=900", // VP8 had no fmtp line
                "a=rtcp-fb:96 nack",
                "a=rtpmap:97 rtx/90000",
                "a=fmtp:97 apt=96", // not a video codec: untouched
                "a=rtpmap:102 H264/90000",
                "a=rtcp-fb:102 nack",
                "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f;x-google-start-bitrate=900",
                "");
        assertEquals(expected, SdpTuning.withStartBitrate(OFFER, 900));
        assertEquals(expected, SdpTuning.withStartBitrate(expected, 900), "applied twice, it must not repeat");
    }

    @Test
    void theStartRateFollowsTheVideoSize() {
        assertEquals(921, SdpTuning.startKbps(640, 480, 30));
        assertEquals(2764, SdpTuning.startKbps(1280, 720, 30));
        assertEquals(300, SdpTuning.startKbps(160, 120, 15));
        assertEquals(4000, SdpTuning.startKbps(3840, 2160, 60));
    }
}
