package dev.parley.call;

import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.parley.media.Devices;
import dev.parley.media.ScreenSource;
import dev.parley.media.VideoSource;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our side of a call as the user switches it and the peer sees it: camera, microphone and screen on or off, the
 * devices they come from, and the {@link PeerMedia} state told to the peer over the data channel whenever it
 * changes. A part of {@link CallSession}; every method that changes something runs on the session's thread (the
 * session hands the work over), the device lists may be read anywhere.
 */
final class OwnMedia {
    private static final Logger log = LoggerFactory.getLogger(OwnMedia.class);

    private final Supplier<String> callId;
    private final CallContext context;
    private final CallMedia media;
    private final PeerChannel channel;
    private final Supplier<CallConnection> connection; // null before media starts and after the end
    private final BooleanSupplier live; // false once the call has ended
    private final Listeners<CallSession.PeerMediaListener> listeners;
    private final Listeners<CallSession.DeviceListener> deviceListeners;
    private volatile DeviceNotice lastNotice;
    private final CallSession session;
    private volatile PeerMedia state = PeerMedia.INITIAL;
    private VideoSource shared; // the session's thread only

    OwnMedia(
            CallSession session,
            Supplier<String> callId,
            CallContext context,
            CallMedia media,
            PeerChannel channel,
            Supplier<CallConnection> connection,
            BooleanSupplier live) {
        this.session = session;
        this.callId = callId;
        this.context = context;
        this.media = media;
        this.channel = channel;
        this.connection = connection;
        this.live = live;
        this.listeners = new Listeners<>("local media");
        this.deviceListeners = new Listeners<>("device");
    }

    void addListener(CallSession.PeerMediaListener l) {
        listeners.add(l);
    }

    void addDeviceListener(CallSession.DeviceListener l) {
        deviceListeners.add(l);
    }

    /** What we send, as the peer is told. */
    PeerMedia state() {
        return state;
    }

    /** Records what we send now and tells our listeners (not the peer: {@link #tellPeer()}). */
    void set(PeerMedia next) {
        if (next.equals(state)) {
            return;
        }
        state = next;
        listeners.fire(l -> l.onPeerMedia(session, next));
    }

    /** Tells the peer what we send, opening the data channel first if need be (it tells when it opens). */
    void tellPeer() {
        CallConnection c = connection.get();
        if (!channel.send(PeerMessages.media(state)) && c != null && live.getAsBoolean()) {
            c.openChannel();
        }
    }

    void setCamera(boolean on) {
        set(state.withCamera(on));
        media.setCameraEnabled(on);
        tellPeer();
    }

    void setMicrophone(boolean on) {
        set(state.withMicrophone(on));
        media.setMicrophoneEnabled(on);
        tellPeer();
    }

    /** Starts sharing; false (the source closed) without media or when a screen is shared already. */
    boolean shareScreen(VideoSource source) {
        CallConnection c = connection.get();
        if (c == null || media.sharingScreen() || !live.getAsBoolean()) {
            source.close();
            return false;
        }
        shared = source;
        if (source instanceof ScreenSource screen) {
            // Before the capture starts, so a refusal at its first tick is heard too; it runs after this task.
            screen.onRefused(why -> session.run(() -> {
                if (shared == source) { // still this share: it ends, and the user is told why
                    stopScreenShare();
                    notice(new DeviceNotice(DeviceNotice.Kind.SCREEN_REFUSED, why, null));
                }
            }));
        }
        try {
            c.shareScreen(source);
        } catch (RuntimeException | Error e) { // a capture that cannot start: the call goes on without the share
            log.warn("Screen share did not start: {}", e.toString());
            shared = null;
            source.close();
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            notice(new DeviceNotice(DeviceNotice.Kind.SCREEN_REFUSED, why, null));
            return false;
        }
        set(state.withScreen(true));
        tellPeer();
        return true;
    }

    void stopScreenShare() {
        CallConnection c = connection.get();
        if (!media.sharingScreen() || c == null) {
            return;
        }
        c.stopScreenShare();
        shared = null;
        set(state.withScreen(false));
        tellPeer();
    }

    /** Starts the connection's local media with what the user chose so far; says if the camera cannot be used. */
    void start(CallConnection c) {
        set(c.start(state));
        String unusable = media.unusableCamera();
        if (unusable != null) {
            notice(new DeviceNotice(DeviceNotice.Kind.CAMERA_UNUSABLE, unusable, null));
        } else if (media.usesDevices()) {
            // Real devices only (never a test pattern or a tone to a real person): what is missing is said.
            boolean noCamera = media.cameraName() == null;
            boolean noSound = context.media().isHeadless();
            DeviceNotice.Kind kind = noCamera && noSound
                    ? DeviceNotice.Kind.NO_CAMERA_NO_SOUND
                    : noCamera ? DeviceNotice.Kind.NO_CAMERA : noSound ? DeviceNotice.Kind.NO_SOUND : null;
            if (kind != null) {
                notice(new DeviceNotice(kind, null, null));
            }
        }
    }

    /** Says a notice to the listeners, and keeps it for one that comes later (a view made after the call began). */
    private void notice(DeviceNotice n) {
        lastNotice = n;
        deviceListeners.fire(l -> l.onDeviceNotice(session, n));
    }

    /** The newest notice, or null. */
    DeviceNotice lastNotice() {
        return lastNotice;
    }

    // ---- devices ----

    List<String> cameraNames() {
        return media.usesDevices() ? context.media().devices().cameraNames() : List.of();
    }

    List<String> microphoneNames() {
        return context.media().devices().microphoneNames();
    }

    List<String> speakerNames() {
        return context.media().devices().speakerNames();
    }

    String cameraName() {
        return media.cameraName();
    }

    /** Captures from another camera without interrupting the call; false if it cannot. */
    boolean useCamera(String name) {
        CallConnection c = connection.get();
        if (c == null || !live.getAsBoolean() || !media.usesDevices()) {
            return false;
        }
        VideoDevice device = context.media().devices().camera(name).orElse(null);
        if (device == null) {
            return false;
        }
        try {
            c.switchCamera(device, state.camera());
            return true;
        } catch (RuntimeException e) {
            log.warn("Call {}: switching to camera {} failed: {}", callId.get(), name, e.toString());
            return false;
        }
    }

    /**
     * The devices changed. If the camera in use is gone, the call moves to the camera of the user's choice or the
     * first one left; with none left the camera turns off (the peer is told and shows "camera off" instead of a
     * frozen frame). Either way the user is told (DeviceNotice).
     */
    void devicesChanged(Devices devices) {
        deviceListeners.fire(l -> l.onDevicesChanged(session));
        String current = media.cameraName();
        if (connection.get() == null
                || current == null
                || devices.camera(current).isPresent()) {
            return;
        }
        String next = devices.camera(context.preferredCamera())
                .or(() -> devices.cameras().stream().findFirst())
                .map(VideoDevice::getName)
                .orElse(null);
        if (next != null && useCamera(next)) {
            log.info("Call {}: camera {} went away; using {}", callId.get(), current, next);
            notice(new DeviceNotice(DeviceNotice.Kind.CAMERA_SWITCHED, current, next));
        } else {
            log.info("Call {}: camera {} went away and there is no other; the camera is off", callId.get(), current);
            setCamera(false);
            notice(new DeviceNotice(DeviceNotice.Kind.CAMERA_GONE, current, null));
        }
    }
}
