package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.parley.testsupport.ChildProcess;
import dev.parley.testsupport.SystemTest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Parley processes and no server (real WebRTC in the test JVM's namespace): {@code invite create} prints a
 * code, {@code invite accept CODE} answers with one that goes back through the first one's stdin, as a person
 * pasting would, and they call. Bad pastes are explained, and a damaged answer may be pasted again.
 */
@SystemTest
@Timeout(120)
class InviteCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @RegisterExtension
    final ParleyChildren children = new ParleyChildren();

    private static boolean is(JsonObject e, String event) {
        return e.get("event").getAsString().equals(event);
    }

    @Test
    void twoProcessesWithNoServerCallEachOtherByTradingTwoCodes() {
        ChildProcess create = children.start(
                dir, "create", "invite", "create", "--name", "alice", "--json", "--fake-media", "--duration", "3");
        String invite = create.awaitEvent(e -> is(e, "invite-code"), WAIT, "the invite code")
                .get("code")
                .getAsString();
        assertTrue(invite.startsWith("parley-1."), invite);

        ChildProcess accept =
                children.start(dir, "accept", "invite", "accept", invite, "--name", "bob", "--json", "--fake-media");
        String answer = accept.awaitEvent(e -> is(e, "answer-code"), WAIT, "the answer code")
                .get("code")
                .getAsString();
        // A paste that lost its end is explained; the whole code after it, wrapped as a mail program wraps
        // it (several lines), is taken.
        create.write(answer.substring(0, answer.length() - 20) + "\n");
        create.write(answer.replaceAll("(.{72})", "$1\n") + "\n");
        create.awaitErrorLine(l -> l.contains("damaged"), WAIT, "the damaged paste explained");
        create.input("\n");

        create.assertExit(0, WAIT);
        accept.assertExit(0, WAIT);
        for (ChildProcess side : new ChildProcess[] {create, accept}) {
            assertTrue(side.firstEvent("first-remote-frame").isPresent(), side.report());
        }
        assertEquals(
                "alice",
                accept.firstEvent("first-remote-frame")
                        .orElseThrow()
                        .get("peer")
                        .getAsString());
        assertEquals(
                "hung-up",
                create.firstEvent("ended").orElseThrow().get("reason").getAsString());
        assertTrue(
                accept.firstEvent("ended")
                        .orElseThrow()
                        .get("reason")
                        .getAsString()
                        .equals("remote-hung-up"),
                accept.report());
    }

    @Test
    void aCodeFromAnotherVersionOrAMangledOneIsRefusedClearly() {
        ChildProcess other = children.start(dir, "other", "invite", "accept", "parley-7.eJwLyM9JUchIzcnJBwAXYQR");
        other.assertExit(1, WAIT);
        assertTrue(
                other.stderr().contains("version 7") && other.stderr().contains("same Parley version"), other.report());
        ChildProcess mangled = children.start(dir, "mangled", "invite", "accept", "parley-1.eJwLyM9JUchIzcn!!");
        mangled.assertExit(1, WAIT);
        assertTrue(mangled.stderr().contains("damaged"), mangled.report());
        ChildProcess link = children.start(dir, "link", "invite", "accept", "https://example.org/x");
        link.assertExit(1, WAIT);
        assertTrue(link.stderr().contains("not a Parley code"), link.report());
    }

    @Test
    void withoutJsonTheCodeIsTheFirstLineOfStdout() {
        ChildProcess create = children.start(dir, "create-text", "invite", "create", "--name", "alice", "--fake-media");
        create.awaitLine(l -> l.startsWith("parley-1."), WAIT, "the invite code");
        assertTrue(create.lines().get(0).startsWith("parley-1."), create.report());
    }
}
