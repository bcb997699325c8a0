package dev.parley.signaling.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.Ping;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersTest {
    private final List<String> heard = new ArrayList<>();
    private final Listeners listeners = new Listeners(Runnable::run); // events run at once, on the test thread

    private SignalingClient.Listener recorder(String name) {
        return new SignalingClient.Listener() {
            @Override
            public void onMessage(Message message) {
                heard.add(name + " " + message);
            }

            @Override
            public void onStateChanged(ConnectionState state, String detail) {
                heard.add(name + " " + state);
            }
        };
    }

    @Test
    void aThrowingListenerDoesNotKeepTheEventFromTheOthers() {
        listeners.add(recorder("first"));
        listeners.add(new SignalingClient.Listener() {
            @Override
            public void onMessage(Message message) {
                throw new IllegalStateException("a buggy listener");
            }

            @Override
            public void onStateChanged(ConnectionState state, String detail) {
                throw new IllegalStateException("a buggy listener");
            }
        });
        listeners.add(recorder("last"));
        listeners.fire(l -> l.onStateChanged(ConnectionState.CONNECTED, "test"), "CONNECTED");
        listeners.fire(l -> l.onMessage(new Ping(1)), "Ping");
        assertEquals(List.of("first CONNECTED", "last CONNECTED", "first Ping[nonce=1]", "last Ping[nonce=1]"), heard);
    }

    @Test
    void aRemovedListenerHearsNothingMore() {
        SignalingClient.Listener gone = recorder("gone");
        listeners.add(gone);
        listeners.add(recorder("stays"));
        listeners.remove(gone);
        listeners.fire(l -> l.onStateChanged(ConnectionState.CLOSED, "test"), "CLOSED");
        assertEquals(List.of("stays CLOSED"), heard);
    }
}
