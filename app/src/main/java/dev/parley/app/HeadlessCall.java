package dev.parley.app;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.parley.call.CallEngine;
import dev.parley.call.CallOptions;
import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.CallWarmUp;
import dev.parley.call.EndReason;
import dev.parley.call.FileTransfer;
import dev.parley.media.CallStats;
import dev.parley.media.MediaEngine;
import dev.parley.media.RemoteVideoSink;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * What the headless commands share ({@code call}, {@code answer}, {@code invite}): media options, the assembled
 * services, event output. How a command signals — a server ({@link SignedInCall}) or codes on paper — is its own.
 */
abstract class HeadlessCall {
    private static final Pattern VIDEO = Pattern.compile("(\\d{2,4})x(\\d{2,4})@(\\d{1,2})");
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(3);

    @Option(
            names = "--fake-media",
            description = {
                "Send a synthetic test pattern and tone instead of the camera and microphone.",
                "Also chosen, with a note, on a machine with neither a camera nor a sound system."
            })
    boolean fakeMedia;

    @Option(
            names = "--fake-video",
            description = {
                "Send the synthetic test pattern instead of the camera; the microphone and the speakers stay",
                "the sound system's (how a machine without a camera tests its audio path)."
            })
    boolean fakeVideo;

    @Option(
            names = "--video",
            paramLabel = "WxH@FPS",
            defaultValue = "640x480@30",
            description = "Video to send (default: ${DEFAULT-VALUE}).")
    String video;

    @Option(names = "--json", description = "One JSON object per line on stdout for each event.")
    boolean json;

    /** The services one headless client needs, closed in reverse order. */
    final class Services implements AutoCloseable {
        final SignalingClientFactory factory = SignalingClientFactory.standard();
        final SignalingClient signaling;
        final MediaEngine media;
        final CallEngine calls;

        Services(CallEngine.Listener incoming) throws Exception {
            // The signaling made first (a bad password file fails before any slow start), then the media, then
            // the call engine listening, then sign in: an invite may arrive at once.
            signaling = newSignaling(factory);
            media = fakeMedia ? MediaEngine.headless() : MediaEngine.create(Duration.ofSeconds(2));
            boolean synthetic = fakeMedia
                    || !fakeVideo
                            && media.isHeadless()
                            && media.devices().cameras().isEmpty();
            if (fakeVideo && !fakeMedia && media.isHeadless()) {
                System.err.println("parley: no sound system answered; the call sends silence and plays nothing");
            }
            if (synthetic && !fakeMedia) {
                System.err.println("parley: no camera and no sound system here; sending a test pattern and a tone");
            }
            // The first call as quick as the next ones: the native stack readied once, before signing in.
            reportWarmUp(CallWarmUp.run(options(), WARM_UP_LIMIT));
            calls = new CallEngine(
                    media, signaling, options().withFakeMedia(synthetic).withFakeCamera(fakeVideo), incoming);
            try {
                signIn(signaling);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() {
            if (calls != null) {
                calls.close();
            }
            if (media != null) {
                media.close();
            }
            signaling.close();
            factory.close();
        }
    }

    /**
     * On SIGTERM (a service manager, Ctrl-C) the calls in progress are hung up, so the peer is told at once instead
     * of finding the call lost seconds later; within the second a stop may take.
     */
    static void hangUpOnStop(CallEngine calls, String threadName) {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            List<CallSession> active = calls.activeCalls();
                            active.forEach(CallSession::hangup);
                            active.forEach(session -> session.awaitEnd(400));
                        },
                        threadName));
    }

    /** The signaling this command's calls go through (not signed in yet: the call engine listens first). */
    abstract SignalingClient newSignaling(SignalingClientFactory factory) throws Exception;

    /** Signs in, or fails with a message for the user. */
    abstract void signIn(SignalingClient signaling);

    CallOptions options() {
        Matcher m = VIDEO.matcher(video);
        if (!m.matches()) {
            throw new IllegalArgumentException("--video must look like 1280x720@30, not " + video);
        }
        CallOptions d = CallOptions.defaults();
        return d.withVideo(
                Integer.parseInt(m.group(1)) & ~1, Integer.parseInt(m.group(2)) & ~1, Integer.parseInt(m.group(3)));
    }

    /** The received stream's jitter-buffer delay and target delay over the last interval, when known. */
    private static void delays(JsonObject e, String kind, CallStats.Stream in) {
        if (in.jitterBufferMs() >= 0) {
            e.addProperty(kind + "JitterBufferMs", round(in.jitterBufferMs()));
            e.addProperty(kind + "TargetDelayMs", round(in.targetDelayMs()));
        }
    }

    /**
     * The peer's shared screen, once frames arrive: how many, their size, and the colour of the newest frame's
     * centre as {@code #rrggbb} (what a test or a script can check the right pixels arrived by).
     */
    private static void screen(JsonObject e, RemoteVideoSink screen) {
        long frames = screen.framesReceived();
        int[] size = screen.size();
        if (frames == 0 || size[0] == 0) {
            return;
        }
        e.addProperty("screenFrames", frames);
        e.addProperty("screenWidth", size[0]);
        e.addProperty("screenHeight", size[1]);
        ByteBuffer pixels = ByteBuffer.allocate(size[0] * size[1] * 4);
        RemoteVideoSink.Snapshot shot = screen.copyNewest(pixels);
        if (shot != null) {
            int at = ((shot.height() / 2) * shot.width() + shot.width() / 2) * 4; // B,G,R,A
            e.addProperty(
                    "screenCentre",
                    String.format(
                            Locale.ROOT,
                            "#%02x%02x%02x",
                            pixels.get(at + 2) & 0xff,
                            pixels.get(at + 1) & 0xff,
                            pixels.get(at) & 0xff));
        }
    }

    /**
     * Prints a session's events from the moment of the call: state changes, the first remote frame, a
     * {@code stats} event a second while media is set up (from WebRTC's getStats, plus the capture-to-receipt
     * latency read from the burned-in stamp), the peer's camera/microphone/screen state, chat, and the end.
     */
    void report(CallSession session, long startNanos) {
        long[] latencyCursor = {0}; // the stats thread's own
        session.addStatsListener((s, stats) -> {
            JsonObject e = event("stats", s, startNanos);
            e.addProperty("state", s.state().name().toLowerCase(Locale.ROOT));
            e.addProperty("framesReceived", s.remoteVideo().framesReceived());
            CallStats.Stream videoIn = stats.find("video", false);
            CallStats.Stream videoOut = stats.find("video", true);
            CallStats.Stream audioIn = stats.find("audio", false);
            long in = stats.streams().stream()
                    .filter(x -> !x.outbound())
                    .mapToLong(CallStats.Stream::bitrateBps)
                    .sum();
            long out = stats.streams().stream()
                    .filter(CallStats.Stream::outbound)
                    .mapToLong(CallStats.Stream::bitrateBps)
                    .sum();
            e.addProperty("bitrateInKbps", in / 1000);
            e.addProperty("bitrateOutKbps", out / 1000);
            if (videoIn != null) {
                e.addProperty("fps", videoIn.fps());
                e.addProperty("width", videoIn.width());
                e.addProperty("height", videoIn.height());
                e.addProperty("videoCodec", videoIn.codec());
                e.addProperty("lossPercent", round(videoIn.lossPercent()));
                e.addProperty("jitterMs", round(videoIn.jitterMs()));
                delays(e, "video", videoIn);
            }
            if (videoOut != null) {
                e.addProperty("framesSent", videoOut.frames());
                e.addProperty("sentWidth", videoOut.width());
                e.addProperty("sentHeight", videoOut.height());
            }
            if (audioIn != null) {
                e.addProperty("audioCodec", audioIn.codec());
                e.addProperty("audioLevel", round(s.remoteAudio().level()));
                e.addProperty("audioHz", Math.round(s.remoteAudio().frequencyHz()));
                // 10 ms chunks played so far: their rate is the clock of the audio module's playout (100 a second).
                e.addProperty("audioChunks", s.remoteAudio().chunksReceived());
                delays(e, "audio", audioIn);
            }
            if (s.peerMedia().screen()) { // a share that ended keeps its last frame: not reported
                screen(e, s.remoteScreen());
            }
            e.addProperty("rttMs", round(stats.rttMs()));
            if (stats.route() != null) {
                e.addProperty("localCandidate", stats.route().localType());
                e.addProperty("localAddress", stats.route().localAddress());
                e.addProperty("remoteCandidate", stats.route().remoteType());
                e.addProperty("remoteAddress", stats.route().remoteAddress());
                e.addProperty("protocol", stats.route().protocol());
                if (!stats.route().relayProtocol().isEmpty()) {
                    e.addProperty("relayProtocol", stats.route().relayProtocol());
                }
            }
            var stamp = s.remoteVideo().lastStamp();
            if (stamp != null) {
                e.addProperty("lastFrameCounter", stamp.counter());
                e.addProperty("latencyMs", s.remoteVideo().lastStampAgeMicros() / 1000.0);
            }
            // Every stamped frame's latency since the last stats event, so that a reader can take honest
            // percentiles over any stretch of the call (bench call's intervals).
            RemoteVideoSink.Latencies fresh = s.remoteVideo().latenciesSince(latencyCursor[0]);
            latencyCursor[0] = fresh.next();
            JsonArray samples = new JsonArray(fresh.micros().length);
            for (long micros : fresh.micros()) {
                samples.add(micros);
            }
            e.add("latencyMicros", samples);
            emit(
                    e,
                    s.remoteVideo().framesReceived() + " frames received, " + in / 1000 + " kbit/s in, "
                            + (stats.route() == null
                                    ? "no route yet"
                                    : "via " + stats.route().localType() + " → "
                                            + stats.route().remoteType()));
        });
        session.addDeviceListener((s, notice) -> {
            JsonObject e = event("device-notice", s, startNanos);
            e.addProperty("kind", notice.kind().name().toLowerCase(Locale.ROOT));
            if (notice.lost() != null) {
                e.addProperty("lost", notice.lost());
            }
            if (notice.now() != null) {
                e.addProperty("now", notice.now());
            }
            emit(
                    e,
                    notice.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                            + (notice.lost() != null ? ": " + notice.lost() : ""));
        });
        session.addPeerMediaListener((s, m) -> {
            JsonObject e = event("peer-media", s, startNanos);
            e.addProperty("camera", m.camera());
            e.addProperty("microphone", m.microphone());
            e.addProperty("screen", m.screen());
            emit(
                    e,
                    "camera " + (m.camera() ? "on" : "off") + ", microphone " + (m.microphone() ? "on" : "muted")
                            + (m.screen() ? ", sharing the screen" : ""));
        });
        session.addFileListener((s, t) -> {
            String name = switch (t.status()) {
                case OFFERED -> "file-offered";
                case MOVING, CHECKING -> "file-progress";
                case DONE -> "file-done";
                default -> "file-failed";
            };
            JsonObject e = event(name, s, startNanos);
            e.addProperty("id", t.id());
            e.addProperty("direction", t.sending() ? "sending" : "receiving");
            e.addProperty("name", t.name());
            e.addProperty("size", t.size());
            e.addProperty("status", t.status().name().toLowerCase(Locale.ROOT));
            e.addProperty("bytes", t.bytes());
            e.addProperty("seconds", round(t.seconds()));
            e.addProperty("megabytesPerSecond", round(t.megabytesPerSecond()));
            if (t.status() == FileTransfer.Status.DONE) {
                e.addProperty("sha256Checked", true); // DONE only after the receiver's hash check
            }
            if (t.status() != FileTransfer.Status.OFFERED) {
                e.addProperty("onLink", t.onLink()); // a connection of its own (FileLinks) or the call's
                if (t.onLink()) {
                    e.addProperty("overTcp", t.overTcp()); // the link's transport (TCP on a direct path)
                }
            }
            if (t.savedAs() != null) {
                e.addProperty("savedAs", t.savedAs().toString());
            }
            if (t.reason() != null) {
                e.addProperty("reason", t.reason());
            }
            emit(
                    e,
                    (t.sending() ? "sending " : "receiving ") + t.name() + ": "
                            + t.status().name().toLowerCase(Locale.ROOT)
                            + " " + t.bytes() + "/" + t.size() + " bytes"
                            + (t.reason() != null ? " (" + t.reason() + ")" : ""));
        });
        session.addSecurityCodeListener((s, code) -> {
            JsonObject e = event("verification", s, startNanos);
            e.addProperty("status", code.status().name().toLowerCase(Locale.ROOT));
            if (code.code() != null) {
                e.addProperty("code", code.code());
            }
            if (code.problem() != null) {
                e.addProperty("problem", code.problem());
            }
            emit(
                    e,
                    code.code() != null
                            ? "security code: " + code.display() + " (read it to each other: the same code on both"
                                    + " sides means no one is in the middle)"
                            : "this call cannot be verified: " + code.problem());
        });
        session.addChatListener((s, text) -> {
            JsonObject e = event("chat", s, startNanos);
            e.addProperty("text", text);
            emit(e, "says: " + text);
        });
        session.remoteVideo().firstFrame().thenAccept(at -> {
            JsonObject e = event("first-remote-frame", session, startNanos);
            e.addProperty("msSinceInvite", (at - startNanos) / 1_000_000);
            int[] size = session.remoteVideo().firstSize();
            e.addProperty("width", size[0]);
            e.addProperty("height", size[1]);
            emit(e, "first remote frame after " + (at - startNanos) / 1_000_000 + " ms");
        });
        long[] sentBeforeConnected = {-1};
        session.addListener((s, state, reason) -> {
            JsonObject e = event(state == CallState.ENDED ? "ended" : "state", s, startNanos);
            e.addProperty("state", state.name().toLowerCase(Locale.ROOT));
            if (state == CallState.CONNECTED && sentBeforeConnected[0] < 0) { // listeners run on the session's thread
                sentBeforeConnected[0] = s.localVideo().framesReceived();
            }
            if (reason != null) {
                e.addProperty("reason", reason.wireName());
                e.addProperty("message", reason.describe());
                if (s.securityCode().code() != null) {
                    e.addProperty("code", s.securityCode().code());
                }
                // Video over the whole call. Sent: this side's own count, every frame its source pushed into the
                // sending track (the self-view sink sees each one), also those before the call connected.
                // Received: every frame of the peer's video that arrived here.
                e.addProperty("framesSent", s.localVideo().framesReceived());
                e.addProperty("framesSentBeforeConnected", Math.max(0, sentBeforeConnected[0]));
                e.addProperty("framesReceived", s.remoteVideo().framesReceived());
                // Capture-to-receipt time of the received frames, from their burned-in stamps: the figures, and the
                // samples themselves (the most recent 4096) so that a benchmark can pool them over many calls.
                long[] ages = s.remoteVideo().recentLatenciesMicros();
                e.addProperty("latencySamplesTotal", s.remoteVideo().delivery()[1]);
                if (ages.length > 0) {
                    Percentiles p = Percentiles.of(ages);
                    e.addProperty("latencyP50Ms", p.p50() / 1000.0);
                    e.addProperty("latencyP95Ms", p.p95() / 1000.0);
                    e.addProperty("latencyP99Ms", p.p99() / 1000.0);
                    com.google.gson.JsonArray samples = new com.google.gson.JsonArray(ages.length);
                    for (long age : ages) {
                        samples.add(age);
                    }
                    e.add("latencySamplesMicros", samples);
                }
            }
            emit(
                    e,
                    state == CallState.ENDED
                            ? "ended: " + reason.wireName()
                            : state.name().toLowerCase(Locale.ROOT));
        });
    }

    /**
     * Reports how call number {@code index} of {@code of} went: a {@code call-result} event (the JSON a benchmark
     * counts calls by) or, in text, one line when several calls are placed. {@code session} is null if none began.
     */
    void reportResult(int index, int of, CallSession session, boolean ok, String failure) {
        JsonObject e = new JsonObject();
        e.addProperty("event", "call-result");
        e.addProperty("call", index);
        e.addProperty("of", of);
        if (session != null) {
            e.addProperty("callId", session.callId());
        }
        e.addProperty("ok", ok);
        if (failure != null) {
            e.addProperty("failure", failure);
        }
        if (json) {
            emit(e, null);
        } else if (of > 1) {
            emit(e, "call " + index + " of " + of + ": " + (ok ? "ok" : "failed: " + failure));
        }
    }

    /** A {@code warmed-up} event (--json): how long readying the native stack took, and how far it got. */
    private void reportWarmUp(CallWarmUp.Result warm) {
        if (json) {
            JsonObject e = new JsonObject();
            e.addProperty("event", "warmed-up");
            e.addProperty("tookMs", warm.millis());
            e.addProperty("epochMs", System.currentTimeMillis()); // as every timed event has
            e.addProperty("calls", warm.calls());
            e.addProperty("video", warm.video());
            emit(e, null);
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    JsonObject event(String name, CallSession s, long startNanos) {
        JsonObject e = new JsonObject();
        e.addProperty("event", name);
        e.addProperty("callId", s.callId());
        e.addProperty("peer", s.peer());
        if (s.guestName() != null) {
            e.addProperty("guest", s.guestName()); // a caller by guest link: the name they typed
        }
        e.addProperty("ms", (System.nanoTime() - startNanos) / 1_000_000);
        e.addProperty("epochMs", System.currentTimeMillis()); // wall clock: comparable across processes
        return e;
    }

    synchronized void emit(JsonObject event, String text) {
        PrintStream out = System.out;
        out.println(
                json ? event.toString() : event.has("peer") ? event.get("peer").getAsString() + ": " + text : text);
        out.flush();
    }

    /** Exit status for a finished call: 0 for a call that connected and was hung up, else 1 with a reason. */
    static int exitStatus(CallSession s, boolean connected) {
        EndReason r = s.endReason();
        if (connected && r != null && r.isNormal()) {
            return 0;
        }
        System.err.println("parley: the call with " + s.peer() + " "
                + (r == null ? "did not end" : "ended: " + r.wireName() + " (" + r.describe() + ")"));
        return 1;
    }
}
