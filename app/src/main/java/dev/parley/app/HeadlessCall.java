package dev.parley.app;

import com.google.gson.JsonObject;
import dev.parley.call.CallEngine;
import dev.parley.call.CallOptions;
import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.EndReason;
import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.client.SignalingException;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code parley call} and {@code parley answer} share: options, the assembled services, event output. */
abstract class HeadlessCall {
    private static final Pattern VIDEO = Pattern.compile("(\\d{2,4})x(\\d{2,4})@(\\d{1,2})");

    @Option(names = "--server", required = true, paramLabel = "URL", description = "Signaling server, e.g. ws://127.0.0.1:7443/signal.")
    URI server;

    @Option(names = "--user", required = true, paramLabel = "NAME", description = "Who to sign in as.")
    String user;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the password (none on an open server).")
    Path passwordFile;

    @Option(names = "--fake-media", description = "Send a synthetic test pattern instead of the camera (the only source so far).")
    boolean fakeMedia;

    @Option(names = "--video", paramLabel = "WxH@FPS", defaultValue = "640x480@30", description = "Video to send (default: ${DEFAULT-VALUE}).")
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
            String password = passwordFile == null ? null : Files.readString(passwordFile).strip();
            signaling = factory.create(ClientConfig.of(server, user, password));
            try {
                signaling.connect().get(15, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                close();
                throw new IllegalStateException("cannot sign in to " + server + ": "
                        + (e.getCause() instanceof SignalingException s ? s.getMessage() : e.getCause().toString()));
            } catch (TimeoutException e) {
                close();
                throw new IllegalStateException("cannot reach " + server + " within 15 s");
            }
            media = MediaEngine.headless();
            calls = new CallEngine(media, signaling, options(), incoming);
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

    CallOptions options() {
        Matcher m = VIDEO.matcher(video);
        if (!m.matches()) {
            throw new IllegalArgumentException("--video must look like 1280x720@30, not " + video);
        }
        CallOptions d = CallOptions.defaults();
        return d.withVideo(Integer.parseInt(m.group(1)) & ~1, Integer.parseInt(m.group(2)) & ~1,
                Integer.parseInt(m.group(3)));
    }

    /**
     * Prints a session's events from the moment of the call: state changes, the first remote frame, a
     * {@code stats} event a second while connected (frames, fps, size, capture-to-receipt latency read from the
     * burned-in stamp), and the end.
     */
    void report(CallSession session, long startNanos) {
        java.util.concurrent.ScheduledExecutorService ticker = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "parley-stats-" + session.peer());
                    t.setDaemon(true);
                    return t;
                });
        long[] last = {0, System.nanoTime()};
        ticker.scheduleAtFixedRate(() -> {
            if (session.state() != CallState.CONNECTED && session.state() != CallState.RECONNECTING) {
                return;
            }
            long frames = session.remoteVideo().framesReceived();
            long now = System.nanoTime();
            JsonObject e = event("stats", session, startNanos);
            e.addProperty("state", session.state().name().toLowerCase(java.util.Locale.ROOT));
            e.addProperty("framesReceived", frames);
            e.addProperty("fps", Math.round((frames - last[0]) * 1e9 / Math.max(1, now - last[1])));
            int[] size = session.remoteVideo().size();
            e.addProperty("width", size[0]);
            e.addProperty("height", size[1]);
            var stamp = session.remoteVideo().lastStamp();
            if (stamp != null) {
                e.addProperty("lastFrameCounter", stamp.counter());
                e.addProperty("latencyMs", session.remoteVideo().lastStampAgeMicros() / 1000.0);
            }
            last[0] = frames;
            last[1] = now;
            emit(e, frames + " frames received");
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        session.addListener((s, state, reason) -> {
            if (state == CallState.ENDED) {
                ticker.shutdownNow();
            }
        });
        session.addChatListener((s, text) -> {
            JsonObject e = event("chat", s, startNanos);
            e.addProperty("text", text);
            emit(e, "says: " + text);
        });
        session.remoteVideo().firstFrame().thenAccept(at -> {
            JsonObject e = event("first-remote-frame", session, startNanos);
            e.addProperty("msSinceInvite", (at - startNanos) / 1_000_000);
            emit(e, "first remote frame after " + (at - startNanos) / 1_000_000 + " ms");
        });
        session.addListener((s, state, reason) -> {
            JsonObject e = event(state == CallState.ENDED ? "ended" : "state", s, startNanos);
            e.addProperty("state", state.name().toLowerCase(java.util.Locale.ROOT));
            if (reason != null) {
                e.addProperty("reason", reason.wireName());
            }
            emit(e, state == CallState.ENDED ? "ended: " + reason.wireName() : state.name().toLowerCase(java.util.Locale.ROOT));
        });
    }

    private JsonObject event(String name, CallSession s, long startNanos) {
        JsonObject e = new JsonObject();
        e.addProperty("event", name);
        e.addProperty("callId", s.callId());
        e.addProperty("peer", s.peer());
        e.addProperty("ms", (System.nanoTime() - startNanos) / 1_000_000);
        return e;
    }

    private synchronized void emit(JsonObject event, String text) {
        PrintStream out = System.out;
        out.println(json ? event.toString() : event.get("peer").getAsString() + ": " + text);
        out.flush();
    }

    /** Exit status for a finished call: 0 for a call that connected and was hung up, else 1 with a reason. */
    static int exitStatus(CallSession s, boolean connected) {
        EndReason r = s.endReason();
        if (connected && r != null && r.isNormal()) {
            return 0;
        }
        System.err.println("parley: the call with " + s.peer() + " " + (r == null ? "did not end" : "ended: " + r.wireName()));
        return 1;
    }
}
