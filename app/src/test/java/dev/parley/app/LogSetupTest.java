package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** Parley's logging set up in code says what logback's XML said, on stderr, at the level asked for. */
class LogSetupTest {
    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        System.setErr(realErr);
        System.clearProperty(LogSetup.LEVEL_PROPERTY);
    }

    private LoggerContext configured() {
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.start();
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, setup.configure(context));
        return context;
    }

    @Test
    void oneLinePerEventWithTimeLevelThreadAbbreviatedLoggerAndStackTrace() {
        LoggerContext context = configured();
        Logger log = context.getLogger("dev.parley.signaling.server.SignalingServer");
        log.info("listening on {}", "ws://127.0.0.1:7443/signal");
        log.warn("failed", new IllegalStateException("boom"));
        log.debug("not at INFO");
        context.stop();
        String[] lines = err.toString(StandardCharsets.UTF_8).split("\\R");
        assertTrue(
                lines[0].matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\["
                        + Thread.currentThread().getName()
                        + "\\] d\\.p\\.s\\.s\\.SignalingServer - listening on ws://127\\.0\\.0\\.1:7443/signal"),
                lines[0]);
        assertTrue(
                lines[1].matches(
                        "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[.*\\] d\\.p\\.s\\.s\\.SignalingServer - failed"),
                lines[1]);
        assertEquals("java.lang.IllegalStateException: boom", lines[2]);
        assertTrue(lines[3].contains("\tat dev.parley.app.LogSetupTest."), lines[3]);
        assertFalse(err.toString(StandardCharsets.UTF_8).contains("not at INFO"));
    }

    @Test
    void theLevelPropertyIsHonouredAndJettyStaysAtWarn() {
        System.setProperty(LogSetup.LEVEL_PROPERTY, "DEBUG");
        LoggerContext context = configured();
        context.getLogger("dev.parley.call.CallEngine").debug("debug shown");
        context.getLogger("org.eclipse.jetty.server.Server").info("jetty chatter");
        context.getLogger("org.glassfish.tyrus.Client").info("tyrus chatter");
        context.stop();
        String out = err.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("DEBUG [") && out.contains("debug shown"), out);
        assertFalse(out.contains("chatter"), out);
    }

    @Test
    void theTimeIsTheLocalTimeOfDay() {
        LoggerContext context = configured();
        // HH:mm:ss always (LocalTime.toString() leaves out ":00" seconds: the test failed once a minute)
        java.time.format.DateTimeFormatter hms = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");
        String before = java.time.LocalTime.now().format(hms);
        context.getLogger("x").info("now");
        context.stop();
        String logged = err.toString(StandardCharsets.UTF_8).substring(0, 8);
        String after = java.time.LocalTime.now().format(hms);
        assertTrue(
                logged.compareTo(before.substring(0, 8)) >= 0 && logged.compareTo(after.substring(0, 8)) <= 0
                        || before.compareTo(after) > 0,
                before + " <= " + logged + " <= " + after);
    }
}
