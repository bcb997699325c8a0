package dev.parley.signaling.protocol;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** The caller asks the callee to take a call with these kinds of media. */
public record Invite(String callId, String from, String to, Set<MediaKind> media) implements CallMessage {
    public Invite {
        Checks.route(callId, from, to);
        Checks.required(media, "media");
        if (media.isEmpty() || media.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("field 'media' must name at least one of audio, video");
        }
        media = Collections.unmodifiableSet(EnumSet.copyOf(media)); // stable order on the wire
    }

    @Override
    public Invite withFrom(String from) {
        return new Invite(callId, from, to, media);
    }
}
