package dev.parley.signaling.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.Hangup;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.Subscribe;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionRestoreTest {
    private final MessageCodec codec = new MessageCodec();
    private final SessionRestore restore = new SessionRestore(codec, 2);

    /** A link that records what it is sent and accepts the first {@code accepting} texts. */
    private static final class Link implements Transport.Link {
        final List<String> sent = new ArrayList<>();
        int accepting = Integer.MAX_VALUE;

        @Override
        public boolean send(String text) {
            if (accepting-- <= 0) {
                return false;
            }
            sent.add(text);
            return true;
        }

        @Override
        public void close(int code, String reason) {}
    }

    private List<Message> decoded(Link link) {
        return link.sent.stream()
                .map(t -> ((DecodeResult.Decoded) codec.decode(t)).message())
                .toList();
    }

    @Test
    void theLastSubscriptionAndPresenceComeFirstThenTheQueueInOrder() {
        Hangup first = new Hangup("c1", null, "bob", "hangup");
        Hangup second = new Hangup("c2", null, "bob", "hangup");
        assertFalse(restore.remember(first));
        assertTrue(restore.queue(codec.encode(first)));
        assertTrue(restore.remember(new Presence(null, PresenceStatus.AWAY)));
        assertTrue(restore.remember(new Subscribe(List.of("old"))));
        assertTrue(restore.remember(new Subscribe(List.of("bob"))));
        assertTrue(restore.queue(codec.encode(second)));
        Link link = new Link();
        restore.restoreOn(link);
        assertEquals(
                List.of(new Subscribe(List.of("bob")), new Presence(null, PresenceStatus.AWAY), first, second),
                decoded(link));
        assertEquals(0, restore.queued());
    }

    @Test
    void theSubscriptionIsRestoredAfterEverySignInTheQueueOnlyOnce() {
        restore.remember(new Subscribe(List.of("bob")));
        restore.queue(codec.encode(new Hangup("c1", null, "bob", "hangup")));
        restore.restoreOn(new Link());
        Link again = new Link();
        restore.restoreOn(again);
        assertEquals(List.of(new Subscribe(List.of("bob"))), decoded(again));
    }

    @Test
    void theQueueIsBoundedKeepsWhatALinkRefusesAndCanBeDropped() {
        assertTrue(restore.queue("{\"type\":\"ping\",\"v\":1,\"nonce\":1}"));
        assertTrue(restore.queue("{\"type\":\"ping\",\"v\":1,\"nonce\":2}"));
        assertFalse(restore.queue("{\"type\":\"ping\",\"v\":1,\"nonce\":3}"));
        Link dying = new Link();
        dying.accepting = 1;
        restore.restoreOn(dying);
        assertEquals(1, restore.queued());
        restore.dropQueue();
        assertEquals(0, restore.queued());
    }
}
