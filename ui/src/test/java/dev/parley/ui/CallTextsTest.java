package dev.parley.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.call.CallState;
import dev.parley.call.EndReason;
import dev.parley.call.PeerMedia;
import org.junit.jupiter.api.Test;

class CallTextsTest {
    private final CallTexts texts = new CallTexts(Messages.forLanguage("en"));

    @Test
    void theStatusLineSaysWhatTheCallIsDoingThenCountsThenSaysWhyItEnded() {
        assertEquals("Calling…", texts.status(CallState.DIALING, null, -1));
        assertEquals("Connecting…", texts.status(CallState.CONNECTING, null, -1));
        assertEquals("0:07", texts.status(CallState.CONNECTED, null, 7));
        assertEquals("0:00", texts.status(CallState.CONNECTED, null, -1), "connected but not yet timed");
        assertEquals("Reconnecting…", texts.status(CallState.RECONNECTING, null, 90));
        assertEquals("Call ended: they hung up", texts.status(CallState.ENDED, EndReason.REMOTE_HUNG_UP, 90));
        assertEquals("Call ended: ", texts.status(CallState.ENDED, null, 90));
    }

    @Test
    void thePlaceholderSaysWhyThereIsNoPicture() {
        PeerMedia cameraOff = PeerMedia.INITIAL.withCamera(false);
        assertEquals("Calling…", texts.placeholder(CallState.IDLE, PeerMedia.INITIAL, "Bob"));
        assertEquals("Connecting…", texts.placeholder(CallState.RINGING, PeerMedia.INITIAL, "Bob"));
        assertEquals("Bob turned the camera off", texts.placeholder(CallState.CONNECTED, cameraOff, "Bob"));
        assertEquals("Waiting for video…", texts.placeholder(CallState.RECONNECTING, PeerMedia.INITIAL, "Bob"));
        assertEquals("", texts.placeholder(CallState.ENDED, cameraOff, "Bob"));
    }

    @Test
    void theClockShowsHoursOnlyFromAnHourOn() {
        assertEquals("0:00", CallTexts.clock(0));
        assertEquals("59:59", CallTexts.clock(3599));
        assertEquals("1:00:00", CallTexts.clock(3600));
        assertEquals("10:02:03", CallTexts.clock(36123));
    }

    @Test
    void eachQualityHasItsWords() {
        assertEquals("Good connection", texts.quality(CallViewModel.Quality.GOOD));
        assertEquals("Measuring…", texts.quality(CallViewModel.Quality.UNKNOWN));
    }
}
