package dev.parley.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SdpCheckTest {
    private static final String GOOD = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "a=group:BUNDLE 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n";

    @Test
    void aDescriptionPassesAndTheUsualGarbageDoesNot() {
        assertNull(SdpCheck.problem(GOOD));
        assertNull(SdpCheck.problem(GOOD.replace("\r\n", "\n")), "bare LF line ends are tolerated");
        assertEquals("empty", SdpCheck.problem(""));
        assertEquals("empty", SdpCheck.problem(null));
        assertEquals("it does not start with v=0", SdpCheck.problem("hello"));
        assertEquals("line 2 is not of the form <letter>=<value>", SdpCheck.problem("v=0\r\nthis is not sdp\r\n"));
        assertEquals("an o=, s= or t= line is missing", SdpCheck.problem("v=0\r\nm=audio 9 RTP/AVP 0\r\n"));
        assertEquals("it has no media section", SdpCheck.problem("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"));
        assertEquals(
                "line 5 is not of the form <letter>=<value>", SdpCheck.problem(GOOD.replace("a=group", "A=group")));
    }
}
