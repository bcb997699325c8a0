package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Welcome;
import dev.parley.testsupport.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A client must not be able to write lines into the server's log (CWE-117): whatever it chose is refused or
 * logged escaped. The server's loggers run at DEBUG here, the most the operator can turn on.
 */
@Timeout(30)
class LogInjectionTest {
    private static final String FORGED = "12:00:00.000 INFO  admin signed in";

    private final Logger serverLog = (Logger) LoggerFactory.getLogger("dev.parley.signaling.server");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private PatternLayout layout;
    private Level levelBefore;

    @BeforeEach
    void capture() {
        LoggerContext context = serverLog.getLoggerContext();
        layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n");
        layout.start();
        captured.setContext(context);
        captured.start();
        levelBefore = serverLog.getLevel();
        serverLog.setLevel(Level.DEBUG);
        serverLog.addAppender(captured);
    }

    @AfterEach
    void release() {
        serverLog.detachAppender(captured);
        serverLog.setLevel(levelBefore);
    }

    /** The log as an operator's file would hold it, line by line. */
    private List<String> logLines() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : List.copyOf(captured.list)) {
            text.append(layout.doLayout(event));
        }
        return text.toString().lines().toList();
    }

    private void assertNoForgedLine() {
        List<String> lines = logLines();
        for (String line : lines) {
            assertTrue(
                    !line.startsWith(FORGED.substring(0, 12)) || !line.contains("admin signed in"),
                    () -> "a client forged a log line: " + line + "\nwhole log:\n" + String.join("\n", lines));
        }
    }

    @Test
    void aDeviceIdWithALineBreakIsRefusedAndForgesNoLogLine() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient mallory = f.raw();
            mallory.send("{\"type\":\"hello\",\"v\":1,\"user\":\"mallory\",\"device\":\"laptop\\n" + FORGED + "\"}");
            String reply = mallory.poll(10_000);
            Thread.sleep(200); // what the sign-in logs after its reply is logged by now
            assertNoForgedLine();
            assertTrue(
                    reply != null && reply.contains("\"invalid-message\"") && reply.contains("\"inReplyTo\":\"hello\""),
                    "the hello was not refused: " + reply);
        }
    }

    @Test
    void aClientNameWithALineBreakIsRefused() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient mallory = f.raw();
            mallory.send("{\"type\":\"hello\",\"v\":1,\"user\":\"mallory\",\"device\":\"d1\",\"client\":\"x\\r\\n"
                    + FORGED + "\"}");
            assertEquals(
                    ErrorCode.INVALID_MESSAGE, mallory.next(ErrorMessage.class).code());
            assertNoForgedLine();
        }
    }

    @Test
    void anErrorReportedByAClientIsLoggedEscaped() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient mallory = f.rawSignedIn("mallory");
            mallory.send(new ErrorMessage(ErrorCode.INTERNAL, "oops\n" + FORGED + "\u2028" + FORGED, null, null));
            Await.until(
                    () -> logLines().stream().anyMatch(l -> l.contains("reported an error")),
                    Duration.ofSeconds(10),
                    () -> "the client's error was not logged:\n" + String.join("\n", logLines()));
            assertNoForgedLine();
            assertTrue(
                    logLines().stream().noneMatch(l -> l.contains("\u2028")), "a Unicode line separator got through");
        }
    }

    @Test
    void validHellosStillSignIn() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient ok = f.raw();
            ok.send(new Hello(
                    "alice", null, null, "5b0f4c1e-9a7d-4f0e-8c61-2d9e7a3b1f40", "parley/0.1 (Linux; x86_64)"));
            assertEquals("alice", ok.next(Welcome.class).user());
        }
    }
}
