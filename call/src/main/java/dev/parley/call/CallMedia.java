package dev.parley.call;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSource;
import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.parley.media.AudioFeed;
import dev.parley.media.CallStats;
import dev.parley.media.EchoSource;
import dev.parley.media.MediaEngine;
import dev.parley.media.RemoteAudioSink;
import dev.parley.media.RemoteVideoSink;
import dev.parley.media.SdpTracks;
import dev.parley.media.StatsReader;
import dev.parley.media.SyntheticVideoSource;
import dev.parley.media.ToneAudioSource;
import dev.parley.media.VideoSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a call sends and receives: the local sources (camera or synthetic pattern, microphone or tone, or the
 * peer's own media as an echo), their tracks on the peer connection, the screen share as a second video track,
 * the preferred video codec, and the sinks the peer's tracks play into (named by the peer's description: its
 * track ids here are random). Runs on the session's thread. The sinks outlive the media: their counters stay
 * readable after the call.
 */
final class CallMedia {
    private static final Logger log = LoggerFactory.getLogger(CallMedia.class);
    static final String CAMERA = "camera";
    static final String MICROPHONE = "microphone";
    static final String SCREEN = "screen";

    private final String callId;
    private final CallContext context;
    private final String streamId;
    final RemoteVideoSink remoteVideo = new RemoteVideoSink();
    final RemoteVideoSink remoteScreen = new RemoteVideoSink();
    final RemoteVideoSink localVideo = new RemoteVideoSink(); // the self-view
    final RemoteAudioSink remoteAudio = new RemoteAudioSink();
    final StatsReader stats = new StatsReader();

    private VideoSource camera;
    private String unusableCamera; // a camera that failed to open when media started
    private boolean placeholderCamera; // no camera: a video source that is never started stands in
    private String cameraName; // the device the camera source captures from; null for synthetic video or none
    private RTCRtpSender cameraSender;
    private EchoSource echo; // when this side only sends the peer's media back
    private VideoTrack cameraTrack;
    private AudioFeed microphone;
    private AudioTrack microphoneTrack;
    private VideoSource screen;
    private RTCRtpSender screenSender;
    private final List<Runnable> sinkRemovals = new ArrayList<>();
    private final Map<String, String> remoteTrackNames = new HashMap<>();
    private boolean audioStarted;

    CallMedia(String callId, CallContext context) {
        this.callId = callId;
        this.context = context;
        this.streamId = "parley-" + callId;
    }

    /**
     * Makes the local sources and adds their tracks to {@code pc}, enabled as {@code local} says. Returns what is
     * really sent: the camera is off when there is none.
     */
    PeerMedia start(RTCPeerConnection pc, PeerMedia local) {
        CallOptions o = context.options();
        MediaEngine media = context.media();
        AudioTrackSource microphoneSource;
        PeerMedia sent = local;
        if (o.echo()) {
            echo = new EchoSource();
            microphone = echo.audioSource();
            camera = echo.videoSource();
            microphoneSource = microphone.audioSource();
        } else if (o.fakeMedia()) {
            microphone = new ToneAudioSource(o.toneHz());
            camera = new SyntheticVideoSource(o.width(), o.height(), o.fps());
            microphoneSource = microphone.audioSource();
        } else {
            // The devices: the microphone through the audio module (silence if headless), the first camera if any.
            AudioOptions processing = new AudioOptions();
            processing.echoCancellation = true;
            processing.noiseSuppression = true;
            processing.autoGainControl = true;
            processing.highpassFilter = true;
            microphoneSource = media.factory().createAudioSource(processing);
            List<VideoDevice> cameras = media.devices().cameras();
            VideoDevice chosen =
                    media.devices().camera(context.preferredCamera()).orElse(cameras.isEmpty() ? null : cameras.get(0));
            unusableCamera = null;
            if (o.fakeCamera()) {
                camera = new SyntheticVideoSource(o.width(), o.height(), o.fps());
            } else if (chosen != null) {
                try {
                    camera = media.openCamera(chosen, o.width(), o.height(), o.fps());
                    cameraName = chosen.getName();
                } catch (RuntimeException | Error e) { // busy elsewhere, a broken driver: the call goes on without
                    log.warn("Call {}: camera {} cannot be opened: {}", callId, chosen.getName(), e.toString());
                    unusableCamera = chosen.getName();
                }
            }
            if (camera == null) {
                sent = sent.withCamera(false);
                // Still a video track, one that never sends a frame: without it the description would have no
                // video, and the peer's video could not come either. A camera chosen later replaces it.
                camera = new SyntheticVideoSource(o.width(), o.height(), o.fps());
                placeholderCamera = true;
            }
        }
        microphoneTrack = media.factory().createAudioTrack(MICROPHONE, microphoneSource);
        microphoneTrack.setEnabled(sent.microphone());
        pc.addTrack(microphoneTrack, List.of(streamId));
        if (camera != null) {
            cameraTrack = media.factory().createVideoTrack(CAMERA, camera.videoSource());
            cameraTrack.setEnabled(sent.camera());
            cameraSender = pc.addTrack(cameraTrack, List.of(streamId));
            cameraTrack.addSink(localVideo);
            preferVideoCodec(pc, o.videoCodec());
            if (!placeholderCamera) {
                camera.start();
            }
        }
        return sent;
    }

    /** The camera that could not be opened when media started, or null. */
    String unusableCamera() {
        return unusableCamera;
    }

    /** The camera device in use, or null (synthetic video, or no camera). */
    String cameraName() {
        return cameraName;
    }

    /** Whether this call captures from devices (not a synthetic pattern or an echo): only then can they change. */
    boolean usesDevices() {
        CallOptions o = context.options();
        return !o.fakeMedia() && !o.fakeCamera() && !o.echo();
    }

    /**
     * Captures from another camera mid-call: a new source and track, put in the camera sender's place
     * (RTCRtpSender.replaceTrack: the peer's video continues, no renegotiation), the self-view moved over, the old
     * source closed. Returns true if a renegotiation is needed: the call had no camera track yet, so one is added.
     * (The replaced track is not disposed: webrtc-java 0.14 throws on a track that was added to a connection.)
     */
    boolean switchCamera(RTCPeerConnection pc, VideoDevice device, boolean enabled) {
        CallOptions o = context.options();
        VideoSource next = context.media().openCamera(device, o.width(), o.height(), o.fps());
        VideoTrack track = context.media().factory().createVideoTrack(CAMERA, next.videoSource());
        track.setEnabled(enabled);
        boolean added = cameraSender == null;
        if (added) {
            cameraSender = pc.addTrack(track, List.of(streamId));
            preferVideoCodec(pc, o.videoCodec());
        } else {
            cameraSender.replaceTrack(track);
            cameraTrack.removeSink(localVideo);
        }
        track.addSink(localVideo);
        next.start();
        VideoSource old = camera;
        camera = next;
        placeholderCamera = false;
        cameraTrack = track;
        cameraName = device.getName();
        if (old != null) {
            old.close();
        }
        return added;
    }

    void setCameraEnabled(boolean on) {
        if (cameraTrack != null) {
            cameraTrack.setEnabled(on);
        }
    }

    void setMicrophoneEnabled(boolean on) {
        if (microphoneTrack != null) {
            microphoneTrack.setEnabled(on);
        }
    }

    /**
     * Starts a pushed microphone (a tone, an echo) once audio packets are sent. It must start only after the
     * headless audio module's own recording thread is stopped: both feeding the send stream at once aborts the JVM
     * (shared/WEBRTC-NOTES.md). libwebrtc starts that thread on its worker thread when the audio send stream
     * starts, which can come after "connected"; stopping it earlier lets it start again under the tone (measured:
     * an abort within 50 calls). So wait until audio packets are actually sent: by then the send stream, and with
     * it the recording, has started, and stopping it sticks. {@code session} runs the checks on the session's
     * thread (dropping them once the call is over); {@code yieldRecording} stops the module's recording.
     */
    void startMicrophoneOnceSending(
            RTCPeerConnection pc, Executor session, ScheduledExecutorService timer, Runnable yieldRecording) {
        if (audioStarted) {
            return;
        }
        pc.getStats(report -> session.execute(() -> {
            if (audioStarted || microphoneTrack == null) {
                return; // started meanwhile, or the media was released
            }
            CallStats.Stream sent = stats.read(report).find("audio", true);
            if (sent != null && sent.packets() > 0) {
                audioStarted = true;
                yieldRecording.run();
                if (microphone != null) {
                    microphone.start();
                }
            } else {
                timer.schedule(
                        () -> session.execute(() -> startMicrophoneOnceSending(pc, session, timer, yieldRecording)),
                        50,
                        TimeUnit.MILLISECONDS);
            }
        }));
    }

    boolean sharingScreen() {
        return screen != null;
    }

    /**
     * Adds the screen as a second video track and starts it; this media owns the source from here on. If that
     * throws, nothing of the share stays (the track is taken off) and the caller closes the source.
     */
    void shareScreen(RTCPeerConnection pc, VideoSource source) {
        screen = source;
        try {
            VideoTrack track = context.media().factory().createVideoTrack(SCREEN, source.videoSource());
            screenSender = pc.addTrack(track, List.of(streamId));
            source.start();
        } catch (RuntimeException | Error e) { // webrtc-java throws Errors too
            RTCRtpSender added = screenSender;
            screenSender = null;
            screen = null;
            if (added != null) {
                try {
                    pc.removeTrack(added);
                } catch (RuntimeException | Error again) {
                    e.addSuppressed(again);
                }
            }
            throw e;
        }
    }

    void stopScreenShare(RTCPeerConnection pc) {
        pc.removeTrack(screenSender);
        screenSender = null;
        screen.close();
        screen = null;
    }

    /** Learns which of the peer's tracks is which from its description ("camera", "screen", "microphone"). */
    void learnTrackNames(String sdp) {
        remoteTrackNames.putAll(SdpTracks.trackIdsByMid(sdp));
    }

    /** A track the peer sends: into the sink its name says (and back out, for an echo). */
    void addRemoteTrack(String mid, MediaStreamTrack track) {
        String name = mid == null ? null : remoteTrackNames.get(mid);
        if (name != null) {
            stats.nameReceivedTrack(mid, name);
        }
        if (track instanceof VideoTrack video) {
            RemoteVideoSink sink = SCREEN.equals(name) ? remoteScreen : remoteVideo;
            video.addSink(sink);
            sinkRemovals.add(() -> video.removeSink(sink));
            if (echo != null && !SCREEN.equals(name)) {
                var back = echo.videoSink();
                video.addSink(back);
                sinkRemovals.add(() -> video.removeSink(back));
            }
        } else if (track instanceof AudioTrack audio) {
            audio.addSink(remoteAudio);
            sinkRemovals.add(() -> audio.removeSink(remoteAudio));
            if (echo != null) {
                var back = echo.audioSink();
                audio.addSink(back);
                sinkRemovals.add(() -> audio.removeSink(back));
            }
        }
    }

    /**
     * Stops the sources and unhooks the sinks: the first steps of the close order webrtc-java 0.14 survives (the
     * connection closes after). Tracks added to a connection are not disposed (that throws). Every source is
     * closed even when one fails; the first failure is thrown at the end.
     */
    void release() {
        RuntimeException failure = null;
        for (AutoCloseable source : new AutoCloseable[] {camera, microphone, screen}) {
            try {
                if (source != null) {
                    source.close();
                }
            } catch (Exception e) {
                log.warn("Call {}: closing a source failed: {}", callId, e.toString());
                failure = failure != null ? failure : new IllegalStateException("closing a source failed", e);
            }
        }
        if (cameraTrack != null) {
            cameraTrack.removeSink(localVideo);
        }
        sinkRemovals.forEach(Runnable::run);
        sinkRemovals.clear();
        camera = null;
        cameraName = null;
        cameraSender = null;
        echo = null;
        cameraTrack = null;
        microphone = null;
        microphoneTrack = null;
        screen = null;
        screenSender = null;
        remoteTrackNames.clear();
        audioStarted = false;
        if (failure != null) {
            throw failure;
        }
    }

    /** The call is over: each sink lets go of the newest native frame it held for a display. */
    void closeSinks() {
        remoteVideo.close();
        remoteScreen.close();
        localVideo.close();
    }

    /**
     * Puts a video codec first in every video transceiver's preferences, so the offer or answer lists it first and
     * both sides send it; the others stay as fall-backs. Unknown names leave libwebrtc's order (VP8 first).
     */
    private void preferVideoCodec(RTCPeerConnection pc, String name) {
        if (name == null || name.isBlank()) {
            return;
        }
        List<RTCRtpCodecCapability> codecs = new ArrayList<>(context.media()
                .factory()
                .getRtpSenderCapabilities(MediaType.VIDEO)
                .getCodecs());
        List<RTCRtpCodecCapability> preferred =
                codecs.stream().filter(c -> c.getName().equalsIgnoreCase(name)).toList();
        if (preferred.isEmpty()) {
            log.warn("Call {}: no {} video codec here; using libwebrtc's default", callId, name);
            return;
        }
        codecs.removeAll(preferred);
        codecs.addAll(0, preferred);
        for (RTCRtpTransceiver t : pc.getTransceivers()) {
            if (t.getSender().getTrack() instanceof VideoTrack) {
                t.setCodecPreferences(codecs);
            }
        }
    }
}
