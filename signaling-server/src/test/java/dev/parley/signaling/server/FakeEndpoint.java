package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.parley.signaling.protocol.DecodeResult;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.MessageCodec;
import dev.parley.signaling.protocol.PresenceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A signed-in device without a socket: it records what it is sent, for presence and routing tests. */
final class FakeEndpoint implements Endpoint {
    private static final MessageCodec CODEC = new MessageCodec();

    private final String user;
    private final String device;
    private PresenceStatus status = PresenceStatus.ONLINE;
    private Set<String> watching = Set.of();
    private final List<String> texts = new ArrayList<>();

    FakeEndpoint(String user, String device) {
        this.user = user;
        this.device = device;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public void sendText(String text) {
        texts.add(text);
    }

    @Override
    public PresenceStatus status() {
        return status;
    }

    @Override
    public void setStatus(PresenceStatus status) {
        this.status = status;
    }

    @Override
    public Set<String> watching() {
        return watching;
    }

    @Override
    public void setWatching(Set<String> users) {
        watching = users;
    }

    /** What it was sent since the last call, decoded, in order; forgets it. */
    List<Message> take() {
        List<Message> messages = texts.stream()
                .map(t -> ((DecodeResult.Decoded) CODEC.decode(t)).message())
                .toList();
        texts.clear();
        return messages;
    }

    /** The one message it was sent since the last call, which must be a {@code type}; forgets it. */
    <T extends Message> T takeOnly(Class<T> type) {
        List<Message> messages = take();
        assertEquals(1, messages.size(), () -> user + "/" + device + " got " + messages);
        return assertInstanceOf(type, messages.get(0));
    }

    @Override
    public String toString() {
        return user + "/" + device;
    }
}
