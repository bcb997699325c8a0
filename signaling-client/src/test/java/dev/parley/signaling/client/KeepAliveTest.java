package dev.parley.signaling.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Ping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pings, link checks and dead-link verdicts on a hand-moved clock. */
class KeepAliveTest {
    private static final Duration INTERVAL = Duration.ofSeconds(20);

    private final MessageCodec codec = new MessageCodec();
    private final ManualTimers timers = new ManualTimers();
    private final List<String> sent = new ArrayList<>();
    private final List<String> verdicts = new ArrayList<>();
    private final KeepAlive keepAlive = new KeepAlive(
            new Transport.Link() {
                @Override
                public boolean send(String text) {
                    sent.add(text);
                    return true;
                }

                @Override
                public void close(int code, String reason) {
                    throw new AssertionError("the keep-alive never closes the link itself");
                }
            },
            codec,
            INTERVAL,
            timers,
            timers::nanoTime,
            verdicts::add);

    /** The pings sent since the last call; forgets them. */
    private List<Ping> pings() {
        List<Ping> pings = sent.stream()
                .map(t -> assertInstanceOf(Ping.class, ((DecodeResult.Decoded) codec.decode(t)).message()))
                .toList();
        sent.clear();
        return pings;
    }

    @Test
    void aPingGoesEachIntervalOnlyWhenNoneIsOut() {
        keepAlive.start();
        timers.advance(INTERVAL.minusMillis(1));
        assertEquals(List.of(), pings(), "the first ping comes one interval after the welcome");
        timers.advance(Duration.ofMillis(1));
        assertEquals(List.of(new Ping(timers.nanoTime())), pings());
        timers.advance(INTERVAL);
        assertEquals(List.of(), pings(), "one still out");
        keepAlive.heard();
        timers.advance(INTERVAL);
        assertEquals(1, pings().size());
        assertEquals(List.of(), verdicts);
    }

    @Test
    void aPingUnansweredForMoreThanAnIntervalMeansADeadLink() {
        keepAlive.start();
        timers.advance(INTERVAL); // ping
        timers.advance(INTERVAL); // exactly one interval old: not yet
        assertEquals(List.of(), verdicts);
        timers.advance(INTERVAL);
        assertEquals(List.of("no answer to ping"), verdicts);
    }

    @Test
    void anythingHeardAnswersTheOutstandingPing() {
        keepAlive.start();
        for (int i = 0; i < 10; i++) {
            timers.advance(INTERVAL);
            keepAlive.heard(); // say, a presence update rather than a pong
        }
        assertEquals(10, pings().size());
        assertEquals(List.of(), verdicts);
    }

    @Test
    void aLinkCheckPingsAtOnceAndASilentLinkIsDeadWhenItsTimeIsUp() {
        keepAlive.start();
        keepAlive.check(Duration.ofMillis(200));
        assertEquals(1, pings().size());
        timers.advance(Duration.ofMillis(199));
        assertEquals(List.of(), verdicts);
        timers.advance(Duration.ofMillis(1));
        assertEquals(List.of("no answer to a link check"), verdicts);
    }

    @Test
    void aLinkCheckAnsweredInTimeChangesNothing() {
        keepAlive.start();
        keepAlive.check(Duration.ofMillis(200));
        keepAlive.heard();
        timers.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), verdicts);
    }

    @Test
    void aLinkCheckWaitsOnThePingAlreadyOut() {
        keepAlive.start();
        timers.advance(INTERVAL);
        assertEquals(1, pings().size());
        keepAlive.check(Duration.ofMillis(200));
        assertEquals(List.of(), pings(), "no second ping");
        timers.advance(Duration.ofMillis(200));
        assertEquals(List.of("no answer to a link check"), verdicts);
    }

    @Test
    void onceStoppedItNeitherPingsNorJudges() {
        keepAlive.start();
        timers.advance(INTERVAL);
        keepAlive.check(Duration.ofMillis(200));
        pings();
        keepAlive.stop();
        keepAlive.stop();
        keepAlive.check(Duration.ofMillis(200));
        timers.advance(INTERVAL.multipliedBy(10));
        assertEquals(List.of(), pings());
        assertEquals(List.of(), verdicts);
        keepAlive.start();
        timers.advance(INTERVAL.multipliedBy(2));
        assertEquals(List.of(), pings(), "a stopped keep-alive does not start again");
    }
}
