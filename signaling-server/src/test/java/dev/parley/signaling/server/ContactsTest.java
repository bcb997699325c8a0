package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.signaling.protocol.ContactAnswer;
import dev.parley.signaling.protocol.ContactRemove;
import dev.parley.signaling.protocol.ContactRequest;
import dev.parley.signaling.protocol.Contacts;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.Subscribe;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence only between contacts: anyone signed in could watch anyone's presence (issue 13); now a user sees
 * another's presence only after asking and being accepted, and stops seeing it when either removes the other.
 */
@Timeout(60)
class ContactsTest {
    @TempDir
    Path dir;

    private static Contacts contacts(List<String> accepted, List<String> incoming, List<String> outgoing) {
        return new Contacts(accepted, incoming, outgoing);
    }

    @Test
    void presenceFlowsOnlyAfterARequestIsAcceptedAndStopsWhenRemoved() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerConfig.builder().contactsOnly(dir.resolve("contacts")))) {
            ServerFixture.Client bob = f.client("bob");
            ServerFixture.Client alice = f.client("alice");
            assertEquals(contacts(List.of(), List.of(), List.of()), alice.recorder.next(Contacts.class));

            // Watching without asking: bob is online, yet alice is told nothing but "offline".
            alice.signaling.send(new Subscribe(List.of("bob")));
            assertEquals(new Presence("bob", PresenceStatus.OFFLINE), alice.recorder.next(Presence.class));
            bob.signaling.send(new Presence(null, PresenceStatus.AWAY));
            alice.recorder.assertNone(Presence.class, 300);

            // alice asks; bob hears it and sees the request waiting; alice sees hers waiting. Still no presence.
            alice.signaling.send(new ContactRequest(null, "bob"));
            assertEquals(new ContactRequest("alice", "bob"), bob.recorder.next(ContactRequest.class));
            assertEquals(contacts(List.of(), List.of("alice"), List.of()), lastContacts(bob));
            assertEquals(contacts(List.of(), List.of(), List.of("bob")), lastContacts(alice));
            alice.recorder.assertNone(Presence.class, 200);

            // bob accepts: each sees the other; alice, who asked about bob, is told at once.
            bob.signaling.send(new ContactAnswer(null, "alice", true));
            assertEquals(new ContactAnswer("bob", "alice", true), alice.recorder.next(ContactAnswer.class));
            assertEquals(contacts(List.of("bob"), List.of(), List.of()), lastContacts(alice));
            assertEquals(new Presence("bob", PresenceStatus.AWAY), alice.recorder.next(Presence.class));
            bob.signaling.send(new Presence(null, PresenceStatus.ONLINE));
            assertEquals(new Presence("bob", PresenceStatus.ONLINE), alice.recorder.next(Presence.class));

            // bob removes alice: she is told "offline" and hears nothing more.
            bob.signaling.send(new ContactRemove(null, "alice"));
            assertEquals(new Presence("bob", PresenceStatus.OFFLINE), alice.recorder.next(Presence.class));
            bob.signaling.send(new Presence(null, PresenceStatus.AWAY));
            alice.recorder.assertNone(Presence.class, 300);
        }
    }

    @Test
    void anAnswerToARequestNobodyMadeIsRefusedAndContactsSurviveARestart() throws Exception {
        Path file = dir.resolve("contacts");
        try (ServerFixture f = new ServerFixture(ServerConfig.builder().contactsOnly(file))) {
            ServerFixture.Client mallory = f.client("mallory");
            f.client("bob");
            mallory.signaling.send(new ContactAnswer(null, "bob", true)); // "accepting" a request bob never made
            assertEquals(
                    ErrorCode.FORBIDDEN,
                    mallory.recorder.next(ErrorMessage.class).code());
            mallory.signaling.send(new Subscribe(List.of("bob")));
            assertEquals(new Presence("bob", PresenceStatus.OFFLINE), mallory.recorder.next(Presence.class));

            ServerFixture.Client carol = f.client("carol");
            carol.signaling.send(new ContactRequest(null, "mallory"));
            mallory.recorder.next(ContactRequest.class);
            mallory.signaling.send(new ContactAnswer(null, "carol", true));
            carol.recorder.next(ContactAnswer.class);
        }
        try (ServerFixture again = new ServerFixture(ServerConfig.builder().contactsOnly(file))) {
            ServerFixture.Client carol = again.client("carol");
            assertEquals(contacts(List.of("mallory"), List.of(), List.of()), carol.recorder.next(Contacts.class));
        }
    }

    @Test
    void inOpenModeEveryoneSeesEveryoneAndContactMessagesChangeNothing() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            ServerFixture.Client bob = f.client("bob");
            ServerFixture.Client alice = f.client("alice");
            alice.signaling.send(new Subscribe(List.of("bob")));
            assertEquals(new Presence("bob", PresenceStatus.ONLINE), alice.recorder.next(Presence.class));
            alice.signaling.send(new ContactRequest(null, "bob"));
            bob.recorder.assertNone(ContactRequest.class, 300);
            alice.recorder.assertNone(Contacts.class, 100);
            alice.recorder.assertNone(ErrorMessage.class, 100);
        }
    }

    /** The newest contact list a client got (the one after sign-in comes first). */
    private static Contacts lastContacts(ServerFixture.Client c) throws InterruptedException {
        Contacts last = c.recorder.next(Contacts.class);
        while (true) {
            Contacts more = c.recorder.messages.stream()
                    .filter(Contacts.class::isInstance)
                    .map(Contacts.class::cast)
                    .findFirst()
                    .orElse(null);
            if (more == null) {
                return last;
            }
            c.recorder.messages.remove(more);
            last = more;
        }
    }
}
