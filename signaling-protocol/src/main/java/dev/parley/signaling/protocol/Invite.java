package dev.parley.signaling.protocol;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The caller asks the callee to take a call with these kinds of media.
 *
 * @param guest the display name of a caller who is a guest by link; only the server sets it (from the name the guest
 *              signed in with) and it removes one a client sends, so it is never a user's own claim
 */
public record Invite(String callId, String from, String to, Set<MediaKind> media, String guest) implements CallMessage {
    public Invite {
        Checks.optionalDisplayName(guest, "guest");
        Checks.route(callId, from, to);
        Checks.required(media, "media");
        if (media.isEmpty() || media.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("field 'media' must name at least one of audio, video");
        }
        media = Collections.unmodifiableSet(EnumSet.copyOf(media)); // stable order on the wire
    }

    public Invite(String callId, String from, String to, Set<MediaKind> media) {
        this(callId, from, to, media, null);
    }

    @Override
    public Invite withFrom(String from) {
        return new Invite(callId, from, to, media, guest);
    }

    /** A copy with the guest's display name set, or removed ({@code null}). */
    public Invite withGuest(String guest) {
        return new Invite(callId, from, to, media, guest);
    }
}
