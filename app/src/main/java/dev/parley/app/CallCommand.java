package dev.parley.app;

import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.EndReason;
import dev.parley.call.FileTransfer;
import dev.parley.media.RobotScreenSource;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley call CONTACT}: places a call, keeps it up for a while, hangs up. */
@Command(
        name = "call",
        mixinStandardHelpOptions = true,
        description = {
            "Call someone without the desktop UI, keep the call up, hang up.",
            "Exit status 0 only if the call connected and ended normally."
        })
final class CallCommand extends SignedInCall implements Callable<Integer> {

    @Parameters(paramLabel = "CONTACT", description = "The user name to call.")
    String contact;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "How long to stay in the call once connected (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--say", paramLabel = "TEXT", description = "Send this chat message once the call is connected.")
    String say;

    @Option(
            names = "--send-file",
            paramLabel = "PATH",
            description = {
                "Send this file once the call is connected; the call then lasts until the file has arrived",
                "(checked by its SHA-256) or failed, and the exit status is 0 only if it arrived."
            })
    Path sendFile;

    @Option(
            names = "--share-screen",
            description = {
                "Share the whole screen once the call is connected (needs a desktop; on Wayland the desktop asks",
                "first). A screen-share event says whether it started, and a device-notice if the desktop refused."
            })
    boolean shareScreen;

    @Option(
            names = "--calls",
            hidden = true,
            defaultValue = "1",
            description = {
                "Place this many calls one after another (for bench call): a failed call is reported and the",
                "next one placed; the exit status is 1 if any failed."
            })
    int calls;

    @Override
    public Integer call() throws Exception {
        try (Services services = new Services(incoming -> incoming.decline())) {
            hangUpOnStop(services.calls, "parley-call-stop");
            int failed = 0;
            for (int i = 1; i <= calls; i++) {
                if (i > 1) {
                    Thread.sleep(300); // let the callee see the hangup before the next invite, or it answers busy
                }
                if (!oneCall(services, i)) {
                    failed++;
                }
            }
            return failed == 0 ? 0 : 1;
        }
    }

    /** Places call number {@code index}; true if it connected and ended normally. Failures are reported, not thrown. */
    private boolean oneCall(Services services, int index) throws InterruptedException {
        long start = System.nanoTime();
        CallSession session = null;
        String failure;
        try {
            session = services.calls.dial(contact);
            // true once connected; false if the call ends before it ever connects (declined, busy, ...)
            CompletableFuture<Boolean> connected = new CompletableFuture<>();
            session.addListener((s, state, reason) -> {
                if (state == CallState.CONNECTED || state == CallState.ENDED) {
                    connected.complete(state == CallState.CONNECTED);
                }
            });
            report(session, start);
            long setupMillis =
                    options().noAnswerTimeout().plus(options().connectTimeout()).toMillis() + 5_000;
            boolean wasConnected;
            try {
                wasConnected = connected.get(setupMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                session.hangup();
                session.awaitEnd(10_000);
                failure = "neither connected nor ended within " + setupMillis + " ms";
                System.err.println("parley: the call with " + contact + " " + failure);
                reportResult(index, calls, session, false, failure);
                return false;
            }
            if (wasConnected && say != null) {
                sayWhenOpen(session);
            }
            if (wasConnected && shareScreen) {
                shareWholeScreen(session, start);
            }
            FileTransfer file = null;
            if (wasConnected && sendFile != null) {
                file = sendWhole(session);
                session.hangup();
            } else if (wasConnected && !session.awaitEnd(duration * 1000L)) {
                session.hangup();
            }
            session.awaitEnd(10_000);
            boolean ok = exitStatus(session, wasConnected) == 0;
            EndReason reason = session.endReason();
            failure = ok
                    ? null
                    : reason == null
                            ? "did not end"
                            : wasConnected ? "ended: " + reason.wireName() : "never connected: " + reason.wireName();
            if (ok && sendFile != null && (file == null || file.status() != FileTransfer.Status.DONE)) {
                ok = false;
                failure = "the file did not arrive: " + (file == null ? "not sent" : file.reason());
                System.err.println("parley: " + failure);
            }
            reportResult(index, calls, session, ok, failure);
            return ok;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            failure = e.getMessage() != null ? e.getMessage() : e.toString();
            System.err.println("parley: call " + index + " failed: " + failure);
            if (session != null) {
                session.hangup();
                session.awaitEnd(10_000); // or the next dial finds us still "in a call"
            }
            reportResult(index, calls, session, false, failure);
            return false;
        }
    }

    /** Sends --send-file and waits until it is over (or the call is); returns how it ended. */
    private FileTransfer sendWhole(CallSession session) throws InterruptedException {
        CompletableFuture<FileTransfer> over = new CompletableFuture<>();
        String[] id = {null};
        session.addFileListener((s, t) -> {
            if (t.sending() && t.status().over() && (id[0] == null || id[0].equals(t.id()))) {
                over.complete(t);
            }
        });
        session.addListener((s, state, reason) -> {
            if (state == CallState.ENDED) {
                over.complete(null);
            }
        });
        FileTransfer first = session.sendFile(sendFile);
        id[0] = first.id();
        if (first.status().over()) {
            return first;
        }
        try {
            return over.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        }
    }

    /** --share-screen: the whole default screen at 15 fps; says whether the share started. */
    private void shareWholeScreen(CallSession session, long start) throws Exception {
        String problem = null;
        try {
            if (!session.shareScreen(RobotScreenSource.wholeScreen(15)).get(10, TimeUnit.SECONDS)) {
                problem = "the call could not take a screen share";
            }
        } catch (java.awt.AWTException | java.awt.HeadlessException e) {
            problem = "no screen to share: " + e.getMessage();
        } catch (TimeoutException e) {
            problem = "the call did not take the screen share within 10 s";
        }
        var e = event("screen-share", session, start);
        e.addProperty("status", problem == null ? "started" : "failed");
        if (problem != null) {
            e.addProperty("reason", problem);
            System.err.println("parley: " + problem);
        }
        emit(e, problem == null ? "sharing the screen" : problem);
    }

    /** The chat channel opens a moment after the media: try for up to 5 s. */
    private void sayWhenOpen(CallSession session) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!session.sendChat(say).get(5, TimeUnit.SECONDS)) {
            if (System.nanoTime() > deadline || session.state() == CallState.ENDED) {
                System.err.println("parley: the chat message could not be sent");
                return;
            }
            Thread.sleep(50);
        }
    }
}
