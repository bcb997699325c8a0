package dev.parley.call;

import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readies a fresh process for its first call: a few throw-away calls between two call engines in this process, over a
 * private in-memory signaling hub, with synthetic media on two headless media engines of its own (so no microphone,
 * camera or speaker is touched), connected over this machine's own interfaces until video has crossed both ways,
 * each then hung up; then all is closed. A fresh process's first call otherwise pays once for the JIT, the class loading and the
 * codec's, DTLS's and SCTP's start: ~0.5 s against ~0.1 s for the next ones ({@code bench call}). Without a network
 * interface the call cannot connect; the warm-up then gives up at its limit, having readied what it got to.
 */
public final class CallWarmUp {
    private static final Logger log = LoggerFactory.getLogger(CallWarmUp.class);
    static final int CALLS = 4;

    /**
     * What the warm-up got to.
     *
     * @param calls     throw-away calls that connected and got video both ways
     * @param video     whether the last one did
     * @param millis    how long it took, closing included
     */
    public record Result(int calls, boolean video, long millis) {}

    private CallWarmUp() {}

    /**
     * Runs the warm-up on the calling thread (it waits: never the UI thread), within about {@code limit}, with the
     * video size and codec of {@code options}. Never throws: a failed warm-up leaves the first call as slow as it
     * was, and says so in the log.
     */
    public static Result run(CallOptions options, Duration limit) {
        return run(options, limit, URI.create("loopback:warm-up-" + UUID.randomUUID()), "warm-up");
    }

    /**
     * As {@link #run(CallOptions, Duration)}, over the signaling server at {@code signaling} (an open one: the two
     * sides sign in as {@code names}-caller and {@code names}-callee): readies that server's call paths too.
     */
    public static Result run(CallOptions options, Duration limit, URI signaling, String names) {
        long start = System.nanoTime();
        if (!hasNetwork()) {
            log.info("Call warm-up skipped: no network interface but loopback, nothing to connect over");
            return new Result(0, false, 0);
        }
        int connected = 0;
        boolean video = false;
        List<AutoCloseable> opened = new ArrayList<>(); // closed in reverse order
        try {
            SignalingClientFactory factory = add(opened, SignalingClientFactory.standard());
            MediaEngine callerMedia = add(opened, MediaEngine.headless());
            MediaEngine calleeMedia = add(opened, MediaEngine.headless());
            SignalingClient callerLink =
                    add(opened, factory.create(ClientConfig.of(signaling, names + "-caller", null)));
            SignalingClient calleeLink =
                    add(opened, factory.create(ClientConfig.of(signaling, names + "-callee", null)));
            callerLink.connect().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            calleeLink.connect().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            CallOptions synthetic = options.withFakeMedia(true);
            CallEngine caller = add(opened, new CallEngine(callerMedia, callerLink, synthetic, ignored -> {}));
            AtomicReference<CallSession> answered = new AtomicReference<>();
            add(opened, new CallEngine(calleeMedia, calleeLink, synthetic, incoming -> {
                answered.set(incoming);
                incoming.accept();
            }));
            long deadline = start + limit.toNanos();
            // A few calls: the JIT compiles a call's code over its first calls, not at the first (bench call).
            while (connected < CALLS && System.nanoTime() < deadline) {
                answered.set(null);
                CallSession call = caller.dial(names + "-callee");
                while (System.nanoTime() < deadline && !(video = framesIn(call) && framesIn(answered.get()))) {
                    Thread.sleep(5);
                }
                if (video) {
                    connected++;
                }
                call.hangup();
                CallSession other = answered.get();
                while (System.nanoTime() < deadline
                        && (call.state() != CallState.ENDED || other != null && other.state() != CallState.ENDED)) {
                    Thread.sleep(5);
                }
                if (!video) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Call warm-up failed; the first call may take longer: {}", e.toString());
        } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception e) {
                    log.warn("Call warm-up: closing {} failed: {}", opened.get(i), e.toString());
                }
            }
        }
        Result result = new Result(connected, video, (System.nanoTime() - start) / 1_000_000);
        log.info("Call warm-up done in {} ms ({} call(s) with video both ways)", result.millis(), result.calls());
        return result;
    }

    private static boolean framesIn(CallSession side) {
        return side != null && side.remoteVideo().framesReceived() > 0;
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T thing) {
        opened.add(thing);
        return thing;
    }

    /** Whether an interface other than loopback is up with an address (libwebrtc gathers nothing on loopback). */
    static boolean hasNetwork() {
        try {
            return NetworkInterface.networkInterfaces().anyMatch(i -> {
                try {
                    return i.isUp()
                            && !i.isLoopback()
                            && i.inetAddresses().findAny().isPresent();
                } catch (SocketException e) {
                    return false;
                }
            });
        } catch (SocketException e) {
            return false;
        }
    }
}
