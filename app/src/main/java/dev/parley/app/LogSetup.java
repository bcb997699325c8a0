package dev.parley.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import java.util.TimeZone;
import org.slf4j.Logger;

/**
 * Parley's logging, set up in code: one line per event on stderr (stdout is for what commands print — the server
 * URL, JSON event lines), {@code HH:mm:ss.SSS LEVEL [thread] d.p.abbreviated.Logger - message}, at the level of
 * {@code -Dparley.log.level} (INFO by default), Jetty and Grizzly at WARN. Found by logback through its service
 * file, before any configuration file: reading logback's XML costs the desktop app ~0.4 s of its start (`bench
 * start`). {@code -Dlogback.configurationFile=FILE} still takes over when given.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String LEVEL_PROPERTY = "parley.log.level";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // the user's own file
        }
        LineLayout layout = new LineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty(LEVEL_PROPERTY), Level.INFO));
        root.addAppender(stderr);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger("org.glassfish").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code %d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n}, and the stack trace if any. */
    static final class LineLayout extends LayoutBase<ILoggingEvent> {
        private final TargetLengthBasedClassNameAbbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(20);
        private final TimeZone zone = TimeZone.getDefault();

        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128);
            long millis = event.getTimeStamp();
            long ofDay = Math.floorMod(millis + zone.getOffset(millis), 86_400_000L);
            two(line, ofDay / 3_600_000).append(':');
            two(line, ofDay / 60_000 % 60).append(':');
            two(line, ofDay / 1000 % 60).append('.');
            long ms = ofDay % 1000;
            line.append(ms < 100 ? (ms < 10 ? "00" : "0") : "").append(ms).append(' ');
            String level = event.getLevel().toString();
            line.append(level).append(" ".repeat(Math.max(0, 5 - level.length())));
            line.append(" [").append(event.getThreadName()).append("] ");
            line.append(abbreviator.abbreviate(event.getLoggerName())).append(" - ");
            line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            if (event.getThrowableProxy() != null) {
                line.append(ThrowableProxyUtil.asString(event.getThrowableProxy()))
                        .append(CoreConstants.LINE_SEPARATOR);
            }
            return line.toString();
        }

        private static StringBuilder two(StringBuilder line, long value) {
            return line.append(value < 10 ? "0" : "").append(value);
        }
    }
}
