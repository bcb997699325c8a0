package dev.parley.app;

import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code parley call CONTACT}: places a call, keeps it up for a while, hangs up. */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = {"Call someone without the desktop UI, keep the call up, hang up.",
                "Exit status 0 only if the call connected and ended normally."})
final class CallCommand extends HeadlessCall implements Callable<Integer> {

    @Parameters(paramLabel = "CONTACT", description = "The user name to call.")
    String contact;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to stay in the call once connected (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--say", paramLabel = "TEXT", description = "Send this chat message once the call is connected.")
    String say;

    @Option(names = "--calls", hidden = true, defaultValue = "1",
            description = "Place this many calls one after another (for bench call).")
    int calls;

    @Override
    public Integer call() throws Exception {
        try (Services services = new Services(incoming -> incoming.decline())) {
            int status = 0;
            for (int i = 0; i < calls && status == 0; i++) {
                if (i > 0) {
                    Thread.sleep(300); // let the callee see the hangup before the next invite, or it answers busy
                }
                status = oneCall(services);
            }
            return status;
        }
    }

    private int oneCall(Services services) throws Exception {
        long start = System.nanoTime();
        CallSession session = services.calls.dial(contact);
        // true once connected; false if the call ends before it ever connects (declined, busy, ...)
        CompletableFuture<Boolean> connected = new CompletableFuture<>();
        session.addListener((s, state, reason) -> {
            if (state == CallState.CONNECTED || state == CallState.ENDED) {
                connected.complete(state == CallState.CONNECTED);
            }
        });
        report(session, start);
        long setupMillis = options().noAnswerTimeout().plus(options().connectTimeout()).toMillis() + 5_000;
        boolean wasConnected = connected.get(setupMillis, TimeUnit.MILLISECONDS);
        if (wasConnected && say != null) {
            sayWhenOpen(session);
        }
        if (wasConnected && !session.awaitEnd(duration * 1000L)) {
            session.hangup();
        }
        session.awaitEnd(10_000);
        return exitStatus(session, wasConnected);
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
