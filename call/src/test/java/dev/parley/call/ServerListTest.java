package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server field: one URL, or the nodes of one service separated by commas. */
class ServerListTest {
    @Test
    void oneOrSeveralNodesInOrderWithoutRepeats() {
        assertEquals(
                List.of(URI.create("ws://127.0.0.1:7443/signal")), ServerList.parse(" ws://127.0.0.1:7443/signal "));
        List<URI> two = ServerList.parse("wss://a.example/signal, wss://b.example/signal,wss://a.example/signal");
        assertEquals(List.of(URI.create("wss://a.example/signal"), URI.create("wss://b.example/signal")), two);
        assertEquals("wss://a.example/signal,wss://b.example/signal", ServerList.format(two));
        assertEquals(two, ServerList.parse(ServerList.format(two)), "what the settings keep reads back");
    }

    @Test
    void whatIsNotAServiceIsRefused() {
        for (String bad : List.of(
                "",
                " ",
                "ws://a.example/signal,",
                ",ws://a.example/signal",
                "http://a.example/signal",
                "ws:///signal",
                "ws://a.example/signal,wss://b.example/signal",
                "ws://a b/signal",
                String.join(
                        ",",
                        java.util.stream.IntStream.range(0, 17)
                                .mapToObj(i -> "ws://h" + i + "/s")
                                .toList()))) {
            assertThrows(IllegalArgumentException.class, () -> ServerList.parse(bad), bad);
        }
    }
}
