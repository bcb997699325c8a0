package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service manager or a desktop session that ends sends SIGTERM and waits: every command ends within a second,
 * whatever it is doing — a server with a client, an answerer waiting for calls, a caller in a call, the desktop
 * app with its window open.
 */
@SystemTest
@Timeout(180)
class StopOnSigtermTest {
    private static final Duration WITHIN = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    /** SIGTERM, then the time until the process is gone; fails past {@link #WITHIN}. */
    private static void stopsQuickly(ChildProcess p, String what) {
        long start = System.nanoTime();
        p.terminate();
        p.awaitExit(Duration.ofSeconds(20));
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println(what + " stopped " + ms + " ms after SIGTERM");
        assertTrue(ms <= WITHIN.toMillis(), what + " took " + ms + " ms to stop after SIGTERM\n" + p.report());
    }

    @Test
    void theServerStopsWithinASecond() {
        try (ChildProcess server = ParleyProcess.start(dir, "server", "server", "--open", "--port", "0")) {
            server.awaitLine(l -> l.startsWith("ws://"), Duration.ofSeconds(30), "the server's address");
            stopsQuickly(server, "parley server");
        }
    }

    @Test
    void anAnswererAndACallerInACallStopWithinASecond() throws Exception {
        try (SignalingServer server = SignalingServer.start(
                ServerConfig.builder().bind("127.0.0.1").port(0).build())) {
            String url = server.uri().toString();
            try (ChildProcess answer = ParleyProcess.start(
                            dir, "answer", "answer", "--server", url, "--user", "bob", "--fake-media");
                    ChildProcess idle = ParleyProcess.start(
                            dir, "idle", "answer", "--server", url, "--user", "carol", "--fake-media")) {
                answer.awaitErrorLine(l -> l.contains("answering calls"), Duration.ofSeconds(30), "bob signed in");
                idle.awaitErrorLine(l -> l.contains("answering calls"), Duration.ofSeconds(30), "carol signed in");
                stopsQuickly(idle, "parley answer (waiting)");
                try (ChildProcess call = ParleyProcess.start(
                        dir,
                        "call",
                        "call",
                        "bob",
                        "--server",
                        url,
                        "--user",
                        "alice",
                        "--duration",
                        "60",
                        "--json",
                        "--fake-media")) {
                    call.awaitLine(l -> l.contains("\"state\":\"connected\""), Duration.ofSeconds(30), "connected");
                    stopsQuickly(call, "parley call (in a call)");
                    stopsQuickly(answer, "parley answer (after its call)");
                }
            }
        }
    }

    @Test
    void theDesktopAppStopsWithinASecond() {
        try (ChildProcess parley = ParleyProcess.start(
                dir, "parley", Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString(), "HOME", dir.toString()))) {
            parley.awaitErrorLine(l -> l.contains("Window shown"), Duration.ofSeconds(60), "the window");
            stopsQuickly(parley, "parley (desktop, window open)");
        }
    }
}
