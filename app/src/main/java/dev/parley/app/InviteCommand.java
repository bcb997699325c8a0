package dev.parley.app;

import com.google.gson.JsonObject;
import dev.parley.call.CallOptions;
import dev.parley.call.CallSession;
import dev.parley.call.CallState;
import dev.parley.call.InviteCode;
import dev.parley.call.PaperSignaling;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.protocol.IceServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley invite create} and {@code parley invite accept CODE}: a call with no server, set up by two codes. */
@Command(
        name = "invite",
        mixinStandardHelpOptions = true,
        description = {
            "Call with no server at all: one side creates an invite code, the other accepts it and gets an answer",
            "code to send back; both are one line of text, to pass on by chat, mail or reading aloud."
        },
        subcommands = {InviteCommand.Create.class, InviteCommand.Accept.class})
final class InviteCommand {
    private InviteCommand() {}

    /** What both halves share: who this side is, how it finds its addresses, and the call held until its end. */
    abstract static class PaperCall extends HeadlessCall {
        /** The name a caller's call knows the other side by until the answer comes (a code says no more). */
        static final String PEER = "peer";

        @Option(
                names = "--name",
                paramLabel = "NAME",
                description = "Your name as the other side sees it (default: your login name, made a valid name).")
        String name;

        @Option(
                names = "--stun",
                paramLabel = "URI",
                description = {
                    "A STUN server (stun:HOST:PORT) to learn your address beyond your router; repeat for several.",
                    "Without one only the addresses of this machine's own networks go into the code."
                })
        List<String> stun = new ArrayList<>();

        @Option(
                names = "--ttl",
                paramLabel = "DURATION",
                defaultValue = "15m",
                converter = HumanDuration.class,
                description = "How long the code stays good: 1m to 24h, e.g. 90s, 15m, 2h (default: ${DEFAULT-VALUE}).")
        Duration ttl;

        @Option(
                names = "--duration",
                paramLabel = "SECONDS",
                defaultValue = "0",
                description =
                        "Hang up this long after connecting; 0 (default): when the other side does, or on Ctrl-C.")
        int duration;

        PaperSignaling paper;

        @Override
        SignalingClient newSignaling(SignalingClientFactory factory) {
            if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("--ttl must be between 1m and 24h, not " + ttl);
            }
            String me = name != null ? name : EmbeddedServer.userName(System.getProperty("user.name"));
            List<IceServer> servers = stun.isEmpty() ? List.of() : List.of(new IceServer(stun, null, null));
            paper = new PaperSignaling(me, servers, Clock.systemUTC(), ttl);
            return paper;
        }

        @Override
        void signIn(SignalingClient signaling) {
            // no server to sign in to
        }

        /** This side's code, once its candidates are gathered (or, after a while, with those found by then). */
        InviteCode gathered() throws Exception {
            return paper.code()
                    .get(PaperSignaling.GATHERING_LIMIT.plusSeconds(5).toSeconds(), TimeUnit.SECONDS);
        }

        /** Prints the code: the line itself, or with --json an event that carries it. */
        void print(String event, InviteCode code) {
            String text = code.text();
            JsonObject e = new JsonObject();
            e.addProperty("event", event);
            e.addProperty("callId", code.callId());
            e.addProperty("code", text);
            e.addProperty("characters", text.length());
            e.addProperty("expiresEpochSeconds", code.expires().getEpochSecond());
            e.addProperty("epochMs", System.currentTimeMillis());
            emit(e, text);
        }

        /** Holds the call until it ends (or --duration after connecting, or SIGTERM); the exit status as 'call's. */
        int hold(CallSession session) throws Exception {
            CompletableFuture<Boolean> connected = new CompletableFuture<>();
            session.addListener((s, state, reason) -> {
                if (state == CallState.CONNECTED || state == CallState.ENDED) {
                    connected.complete(state == CallState.CONNECTED);
                }
            });
            if (session.state() == CallState.CONNECTED || session.state() == CallState.ENDED) {
                connected.complete(session.state() == CallState.CONNECTED); // before the listener was added
            }
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                session.hangup();
                                session.awaitEnd(500);
                            },
                            "parley-invite-stop"));
            boolean wasConnected;
            try {
                wasConnected = connected.get(options().connectTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                session.hangup();
                session.awaitEnd(5_000);
                System.err.println("parley: the call did not connect");
                return 1;
            }
            if (wasConnected && !session.awaitEnd(duration > 0 ? duration * 1000L : Long.MAX_VALUE / 2)) {
                session.hangup();
            }
            session.awaitEnd(10_000);
            return exitStatus(session, wasConnected);
        }
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Print an invite code (the first line of stdout), then read the answer code from stdin and hold",
                "the call. Exit status 0 only if the call connected and ended normally."
            })
    static final class Create extends PaperCall implements Callable<Integer> {
        /** The answer comes when a person pastes it: the call waits for it as long as the code is good. */
        @Override
        CallOptions options() {
            return super.options().withNoAnswerTimeout(ttl);
        }

        @Override
        public Integer call() throws Exception {
            try (Services services = new Services(incoming -> incoming.decline())) {
                long start = System.nanoTime();
                CallSession session = services.calls.dial(PEER);
                InviteCode invite;
                try {
                    invite = gathered();
                } catch (ExecutionException e) {
                    System.err.println("parley: no invite code: " + e.getCause().getMessage());
                    return 1;
                }
                print("invite-code", invite); // the first line of stdout, before the call's own events
                report(session, start);
                if (!playAnswer(invite, session)) {
                    session.hangup();
                    session.awaitEnd(5_000);
                    return 1;
                }
                return hold(session);
            }
        }

        /**
         * Reads the answer code from stdin and plays it to the call: bad pastes are explained and another line read,
         * until the invite expires. False if no answer came.
         */
        private boolean playAnswer(InviteCode invite, CallSession session) throws InterruptedException {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader in =
                                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = in.readLine()) != null) {
                                lines.add(line);
                            }
                        } catch (IOException e) {
                            // stdin closed: treated as its end
                        }
                        lines.add("\u0000eof");
                    },
                    "parley-invite-stdin");
            reader.setDaemon(true);
            reader.start();
            if (!json) {
                System.err.println("parley: send this code to the other person; paste their answer code here:");
            }
            StringBuilder pasted = new StringBuilder(); // a code a mail program wrapped comes as several lines
            String unfinished = null; // what is wrong with the code pasted so far, if it never becomes whole
            while (true) {
                long left = invite.expires().toEpochMilli() - System.currentTimeMillis();
                String line = left > 0 ? lines.poll(left, TimeUnit.MILLISECONDS) : null;
                if (line == null) {
                    System.err.println("parley: the invite expired before an answer code came");
                    return false;
                }
                if (line.equals("\u0000eof")) {
                    explain(unfinished);
                    System.err.println("parley: no answer code (the input ended)");
                    return false;
                }
                String part = line.strip();
                if (part.startsWith("parley-") && !pasted.isEmpty()) {
                    explain(unfinished); // a new code begins: the one before never became whole
                    unfinished = null;
                    pasted.setLength(0);
                }
                if (part.isEmpty() || (pasted.isEmpty() && !part.startsWith("parley-"))) {
                    if (!part.isEmpty()) {
                        System.err.println("parley: that is not a Parley code (one starts with \"parley-\")");
                    }
                    explain(unfinished);
                    unfinished = null;
                    pasted.setLength(0);
                    continue;
                }
                pasted.append(part);
                if (pasted.length() > 128 * 1024) {
                    System.err.println("parley: that is far longer than a Parley code; paste the answer code again");
                    unfinished = null;
                    pasted.setLength(0);
                    continue;
                }
                InviteCode answer;
                try {
                    answer = InviteCode.parse(pasted.toString(), Clock.systemUTC());
                } catch (InviteCode.BadCode e) {
                    if (e.reason() == InviteCode.BadCode.Reason.DAMAGED) {
                        unfinished = e.getMessage(); // perhaps only its first lines so far
                    } else {
                        explain(e.getMessage());
                        unfinished = null;
                        pasted.setLength(0);
                    }
                    continue;
                }
                unfinished = null;
                pasted.setLength(0);
                try {
                    paper.play(answer); // the call's own check: an answer, to this invite, the first one
                    return true;
                } catch (InviteCode.BadCode e) {
                    explain(e.getMessage());
                    if (session.state() == CallState.ENDED) {
                        return false;
                    }
                }
            }
        }

        private static void explain(String problem) {
            if (problem != null) {
                System.err.println("parley: " + problem + "; paste the answer code again");
            }
        }
    }

    @Command(
            name = "accept",
            mixinStandardHelpOptions = true,
            description = {
                "Answer an invite code: print the answer code (the first line of stdout) for the other side to",
                "paste, and hold the call. Exit status 0 only if the call connected and ended normally."
            })
    static final class Accept extends PaperCall implements Callable<Integer> {
        @Parameters(paramLabel = "CODE", description = "The invite code (parley-1.…).")
        String code;

        /** The caller connects when a person pastes this side's answer: the call waits as long as the code is good. */
        @Override
        CallOptions options() {
            return super.options().withConnectTimeout(ttl.plusSeconds(12));
        }

        @Override
        public Integer call() throws Exception {
            InviteCode invite;
            try {
                invite = InviteCode.parse(code, Clock.systemUTC());
            } catch (InviteCode.BadCode e) {
                System.err.println("parley: " + e.getMessage());
                return 1;
            }
            if (invite.kind() != InviteCode.Kind.INVITE) {
                System.err.println("parley: this is an answer code; 'invite accept' takes an invite code");
                return 1;
            }
            CompletableFuture<CallSession> rang = new CompletableFuture<>();
            long start = System.nanoTime();
            try (Services services = new Services(session -> {
                session.accept();
                rang.complete(session);
            })) {
                paper.play(invite);
                CallSession session;
                InviteCode answer;
                try {
                    session = rang.get(10, TimeUnit.SECONDS);
                    answer = gathered();
                } catch (TimeoutException e) {
                    System.err.println("parley: the invite did not ring here within 10 s");
                    return 1;
                } catch (ExecutionException e) {
                    System.err.println("parley: no answer code: " + e.getCause().getMessage());
                    return 1;
                }
                print("answer-code", answer); // the first line of stdout, before the call's own events
                report(session, start);
                return hold(session);
            }
        }
    }
}
