package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.media.FrameStamp;
import dev.parley.media.MediaEngine;
import dev.parley.media.SyntheticDevices;
import dev.parley.testsupport.Await;
import dev.parley.testsupport.SystemTest;
import java.net.URI;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cameras that change during a call, with cameras the test plugs in and pulls out (SyntheticDevices: each
 * camera's frames count from its own base, so bob's received stamps say which camera alice sends). Alice captures
 * from devices (no synthetic pattern of the call's own); bob sends his test pattern.
 */
@SystemTest
@Timeout(90)
class DevicesMidCallTest {
    private static final long CAM_B = 1_000_000;
    private final SyntheticDevices cameras = new SyntheticDevices();
    private CallPair pair;

    @BeforeEach
    void setUp() throws Exception {
        cameras.plug("Cam A", 0);
        cameras.plug("Cam B", CAM_B);
        CallOptions devices = CallOptions.defaults().withFakeMedia(false).withVideo(320, 240, 15);
        pair = new CallPair(
                URI.create("loopback:devices"), devices, MediaEngine.headless(cameras), CallOptions.defaults());
    }

    @AfterEach
    void tearDown() {
        pair.close();
    }

    /** Waits until bob's newest frame comes from the camera whose counter range {@code fromB} says. */
    private static void bobSees(CallSession bob, boolean fromB, String what) {
        Await.until(
                () -> {
                    FrameStamp s = bob.remoteVideo().lastStamp();
                    return s != null && (s.counter() >= CAM_B) == fromB;
                },
                CallPair.WAIT,
                () -> what + "; last stamp " + bob.remoteVideo().lastStamp());
    }

    @Test
    void aCameraCanBeSwitchedAndPulledOutMidCallAndANewOneAppearsWithoutARestart() throws Exception {
        CallSession[] call = pair.connected();
        CallSession alice = call[0];
        CallSession bob = call[1];
        LinkedBlockingQueue<DeviceNotice> notices = new LinkedBlockingQueue<>();
        alice.addDeviceListener((s, n) -> notices.add(n));
        bobSees(bob, false, "alice starts on the first camera, Cam A");
        assertEquals("Cam A", alice.cameraName());

        // Switched by hand: the video goes on from Cam B, the call never leaves "connected".
        assertTrue(alice.switchCamera("Cam B").get(10, TimeUnit.SECONDS));
        bobSees(bob, true, "bob never got Cam B's frames");
        assertEquals("Cam B", alice.cameraName());
        assertEquals(CallState.CONNECTED, alice.state());
        assertFalse(alice.switchCamera("No Such Camera").get(10, TimeUnit.SECONDS));

        // Cam B pulled out: the call moves back to Cam A by itself, and alice is told.
        cameras.unplug("Cam B");
        assertEquals(
                new DeviceNotice(DeviceNotice.Kind.CAMERA_SWITCHED, "Cam B", "Cam A"),
                notices.poll(10, TimeUnit.SECONDS));
        bobSees(bob, false, "bob did not get Cam A's frames again");

        // The last camera pulled out: the camera turns off and bob is told (no frozen frame).
        cameras.unplug("Cam A");
        assertEquals(
                new DeviceNotice(DeviceNotice.Kind.CAMERA_GONE, "Cam A", null), notices.poll(10, TimeUnit.SECONDS));
        Await.until(() -> !bob.peerMedia().camera(), CallPair.WAIT, "bob was not told the camera is off");
        assertFalse(alice.localMedia().camera());
        assertEquals(CallState.CONNECTED, bob.state());

        // A camera plugged in is listed at once, without a restart, and can be used in the same call.
        cameras.plug("Cam C", CAM_B);
        Await.until(
                () -> pair.aliceMedia.devices().cameraNames().contains("Cam C"), CallPair.WAIT, "Cam C never listed");
        assertTrue(alice.switchCamera("Cam C").get(10, TimeUnit.SECONDS));
        alice.setCameraEnabled(true);
        Await.until(() -> bob.peerMedia().camera(), CallPair.WAIT, "bob was not told the camera is back");
        bobSees(bob, true, "bob never got Cam C's frames");
        alice.hangup();
        assertTrue(bob.awaitEnd(10_000));
    }
}
