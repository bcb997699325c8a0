package dev.parley.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {
    @TempDir
    Path dir;

    @Test
    void contactsSurviveARestartSortedByName() throws Exception {
        ContactStore store = new ContactStore(dir);
        store.put(new Contact("zoe", "Zoë"));
        store.put(new Contact("bob", null));
        store.put(new Contact("alice", "Alice Liddell"));
        store.put(new Contact("bob", "Bobby")); // an edit, not a second bob
        assertTrue(store.remove("zoe"));
        assertFalse(store.remove("zoe"));

        List<Contact> again = new ContactStore(dir).all();
        assertEquals(List.of(new Contact("alice", "Alice Liddell"), new Contact("bob", "Bobby")), again);
        assertEquals(
                List.of("contacts.json"),
                Files.list(dir).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void invalidContactsAreRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Contact("Bob Smith", null));
        assertTrue(e.getMessage().contains("not a valid user name"), e.getMessage());
    }

    @Test
    void aCorruptFileIsMovedAsideNotOverwritten() throws Exception {
        Path file = dir.resolve("contacts.json");
        Files.writeString(file, "{\"version\":1,\"contacts\":[{\"user\":\"alice\"");
        ContactStore store = new ContactStore(dir);
        assertEquals(List.of(), store.all());
        store.put(new Contact("carol", null));
        assertEquals(
                1,
                Files.list(dir)
                        .filter(p -> p.getFileName().toString().startsWith("contacts.json.broken-"))
                        .count());
        // One bad entry among good ones costs only that entry.
        Files.writeString(
                file, "{\"version\":1,\"contacts\":[{\"user\":\"alice\"},{\"user\":\"NOT OK\"},{\"user\":\"bob\"}]}");
        assertEquals(
                List.of("alice", "bob"),
                new ContactStore(dir).all().stream().map(Contact::user).toList());
    }

    @Test
    void settingsKeepTheirDeviceIdAndFillGapsWithDefaults() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        String device = store.get().device();
        Settings changed = new Settings(
                "wss://parley.example.org/signal",
                "alice",
                device,
                null,
                null,
                null,
                "640x480@30",
                "dark",
                "ru",
                true,
                null,
                null,
                "/home/alice/Incoming");
        store.set(changed);
        // What was set, with the two unset fields at their defaults: no own ICE servers, not hosting.
        assertEquals(
                new Settings(
                        "wss://parley.example.org/signal",
                        "alice",
                        device,
                        null,
                        null,
                        null,
                        "640x480@30",
                        "dark",
                        "ru",
                        true,
                        List.of(),
                        false,
                        "/home/alice/Incoming"),
                new SettingsStore(dir).get());

        Files.writeString(
                dir.resolve("settings.json"), "{\"user\":\"bob\",\"theme\":\"neon\",\"downloadFolder\":\"../../etc\"}");
        Settings old = new SettingsStore(dir).get();
        assertTrue(old.device() != null && !old.device().isBlank(), "a device id is made when the file has none");
        assertEquals(old.device(), UUID.fromString(old.device()).toString(), "the device id is a UUID");
        // An unknown theme is the default one, so is a relative download folder; missing fields take their defaults.
        assertEquals(
                new Settings(
                        null,
                        "bob",
                        old.device(),
                        null,
                        null,
                        null,
                        "1280x720@30",
                        "light",
                        "en",
                        false,
                        List.of(),
                        false,
                        null),
                old);
    }

    @Test
    void theConfigDirectoryFollowsXdg() {
        assertEquals(
                Path.of("/x/parley"), ConfigDirectory.resolve(Map.of("XDG_CONFIG_HOME", "/x"), Path.of("/home/u")));
        assertEquals(Path.of("/home/u/.config/parley"), ConfigDirectory.resolve(Map.of(), Path.of("/home/u")));
        assertEquals(
                Path.of("/home/u/.config/parley"),
                ConfigDirectory.resolve(Map.of("XDG_CONFIG_HOME", "relative"), Path.of("/home/u")));
    }

    @Test
    void aHistoryEntryIsMissedOnlyWhenAnIncomingCallWasNeverAnswered() {
        // Moved here from the ui module's MessagesTest.
        assertTrue(new CallHistory.Entry("bob", false, 0, 0, "cancelled").missed(), "the caller gave up");
        assertTrue(new CallHistory.Entry("bob", false, 0, 0, "no-answer").missed(), "nobody answered");
        assertFalse(new CallHistory.Entry("bob", true, 0, 0, "cancelled").missed(), "we called and gave up");
        assertFalse(new CallHistory.Entry("bob", true, 0, 0, "no-answer").missed(), "we called, bob did not answer");
        assertFalse(new CallHistory.Entry("bob", false, 0, 0, "declined").missed(), "we declined");
        assertFalse(new CallHistory.Entry("bob", false, 0, 42, "remote-hung-up").missed(), "a call that was talked");
        assertFalse(new CallHistory.Entry("bob", false, 0, 1, "cancelled").missed(), "connected, however briefly");
    }
}
