package dev.parley.app;

import dev.parley.call.CallOptions;
import dev.parley.call.CallState;
import dev.parley.call.FileTransfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley answer}: waits for calls and takes each one. */
@Command(
        name = "answer",
        mixinStandardHelpOptions = true,
        description = {
            "Wait for calls and answer them without the desktop UI.",
            "Runs until stopped, or until --max-calls calls have ended."
        })
final class AnswerCommand extends SignedInCall implements Callable<Integer> {

    @Option(
            names = "--max-calls",
            paramLabel = "N",
            defaultValue = "0",
            description = "Exit after this many calls have ended; 0 for no limit (default).")
    int maxCalls;

    @Option(names = "--echo", description = "Be an echo service: send each caller its own video and audio back.")
    boolean echo;

    @Option(
            names = "--receive-dir",
            paramLabel = "DIR",
            description = {
                "Take every file a caller sends into this folder (names made safe, never replacing a file);",
                "without it, files are declined."
            })
    Path receiveDir;

    @Override
    CallOptions options() {
        return super.options().withEcho(echo);
    }

    @Override
    public Integer call() throws Exception {
        if (receiveDir != null && !Files.isDirectory(receiveDir)) {
            throw new IllegalArgumentException("--receive-dir " + receiveDir + " is not a folder");
        }
        CompletableFuture<Void> done = new CompletableFuture<>(); // after --max-calls calls, or on SIGTERM
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try (Services services = new Services(session -> {
            report(session, System.nanoTime());
            session.addFileListener((s, t) -> {
                if (!t.sending() && t.status() == FileTransfer.Status.OFFERED) {
                    if (receiveDir != null) {
                        s.acceptFile(t.id(), receiveDir);
                    } else {
                        s.declineFile(t.id());
                    }
                }
            });
            AtomicBoolean connected = new AtomicBoolean();
            session.addListener((s, state, reason) -> {
                if (state == CallState.CONNECTED) {
                    connected.set(true);
                }
                if (reason != null) {
                    if (!reason.isNormal() || !connected.get()) { // as for 'call': only a call that connected is ok
                        failed.incrementAndGet();
                    }
                    if (ended.incrementAndGet() == maxCalls) {
                        done.complete(null);
                    }
                }
            });
            session.accept();
        })) {
            System.err.println("parley: answering calls for " + account.user + " on " + servers());
            hangUpOnStop(services.calls, "parley-answer-stop");
            done.join();
        }
        return failed.get() == 0 ? 0 : 1;
    }
}
