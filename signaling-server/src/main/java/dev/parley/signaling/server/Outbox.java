package dev.parley.signaling.server;

import java.util.ArrayList;
import java.util.List;

/** Texts decided under the hub's lock, to be sent, in the order added, once it is released. */
final class Outbox {
    private final List<Endpoint> to = new ArrayList<>(2);
    private final List<String> texts = new ArrayList<>(2);

    void add(Endpoint endpoint, String text) {
        to.add(endpoint);
        texts.add(text);
    }

    void send() {
        for (int i = 0; i < to.size(); i++) {
            to.get(i).sendText(texts.get(i));
        }
    }
}
