package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --server URL1,URL2}: the nodes of one service, in the order they are tried. */
class ServerListOptionTest {
    @Test
    void severalNodesAreListedInOrderAndOneStaysOne() {
        CallCommand call = new CallCommand();
        new CommandLine(call)
                .parseArgs(
                        "bob",
                        "--server",
                        "ws://198.51.100.1:7443/signal,ws://198.51.100.2:7443/signal",
                        "--user",
                        "alice");
        assertEquals(
                List.of(URI.create("ws://198.51.100.1:7443/signal"), URI.create("ws://198.51.100.2:7443/signal")),
                call.server);
        assertEquals("ws://198.51.100.1:7443/signal,ws://198.51.100.2:7443/signal", call.servers());

        AnswerCommand answer = new AnswerCommand();
        new CommandLine(answer).parseArgs("--server", "ws://198.51.100.1:7443/signal", "--user", "bob");
        assertEquals(List.of(URI.create("ws://198.51.100.1:7443/signal")), answer.server);
        assertEquals("ws://198.51.100.1:7443/signal", answer.servers());
    }
}
