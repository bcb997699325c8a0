package dev.parley.signaling.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResendBufferTest {
    private final List<String> sent = new ArrayList<>();

    @Test
    void queuedMessagesGoOutOldestFirst() {
        ResendBuffer buffer = new ResendBuffer(5);
        for (String m : List.of("a", "b", "c")) {
            assertTrue(buffer.offer(m));
        }
        buffer.sendAll(sent::add);
        assertEquals(List.of("a", "b", "c"), sent);
        assertEquals(0, buffer.size());
    }

    @Test
    void whenFullTheNewMessageIsRefusedAndTheQueuedOnesKept() {
        ResendBuffer buffer = new ResendBuffer(3);
        assertTrue(buffer.offer("a"));
        assertTrue(buffer.offer("b"));
        assertTrue(buffer.offer("c"));
        assertFalse(buffer.offer("d"));
        assertFalse(buffer.offer("e"));
        assertEquals(3, buffer.size());
        buffer.sendAll(sent::add);
        assertEquals(List.of("a", "b", "c"), sent);
        assertTrue(buffer.offer("f"), "room again once sent");
    }

    @Test
    void aLimitOfZeroQueuesNothing() {
        ResendBuffer buffer = new ResendBuffer(0);
        assertFalse(buffer.offer("a"));
        assertEquals(0, buffer.size());
    }

    @Test
    void whatALinkRefusesStaysQueuedInOrderForTheNextOne() {
        ResendBuffer buffer = new ResendBuffer(5);
        List.of("a", "b", "c", "d").forEach(buffer::offer);
        buffer.sendAll(text -> !text.equals("c") && sent.add(text)); // the link dies at "c"
        assertEquals(List.of("a", "b"), sent);
        assertEquals(2, buffer.size());
        buffer.offer("e");
        sent.clear();
        buffer.sendAll(sent::add);
        assertEquals(List.of("c", "d", "e"), sent);
    }

    @Test
    void clearDropsEverything() {
        ResendBuffer buffer = new ResendBuffer(5);
        buffer.offer("a");
        buffer.offer("b");
        buffer.clear();
        buffer.sendAll(sent::add);
        assertEquals(List.of(), sent);
        assertEquals(0, buffer.size());
    }
}
