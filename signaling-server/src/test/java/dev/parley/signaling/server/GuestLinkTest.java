package dev.parley.signaling.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.signaling.protocol.ContactRequest;
import dev.parley.signaling.protocol.ErrorCode;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.Hello;
import dev.parley.signaling.protocol.Invite;
import dev.parley.signaling.protocol.Link;
import dev.parley.signaling.protocol.LinkCreate;
import dev.parley.signaling.protocol.LinkRevoke;
import dev.parley.signaling.protocol.MediaKind;
import dev.parley.signaling.protocol.Offer;
import dev.parley.signaling.protocol.Subscribe;
import dev.parley.signaling.protocol.Welcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guest links on a real server: a user makes a link, a guest signs in with it and may call that user and nobody
 * else; the guest's name reaches the user as the server says it, never as a client claims it; revoked links stop
 * working and sign their guests out; the link's page is served with a strict policy.
 */
@Timeout(60)
class GuestLinkTest {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Link link(RawClient owner) throws Exception {
        owner.send(new LinkCreate(0));
        return owner.next(Link.class);
    }

    private static RawClient guest(ServerFixture f, String token, String name) throws Exception {
        RawClient g = f.raw();
        g.send(Hello.guest(token, name, null, "test"));
        return g;
    }

    private static Invite invite(String callId, String to) {
        return new Invite(callId, null, to, Set.of(MediaKind.AUDIO, MediaKind.VIDEO));
    }

    @Test
    void aGuestSignsInByLinkAndCallsItsOwnerUnderTheNameItTyped() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient alice = f.rawSignedIn("alice");
            Link link = link(alice);
            assertTrue(link.token().matches("[A-Za-z0-9_-]{22}"), link.token());
            long day = Instant.now().getEpochSecond() + 86_400;
            assertTrue(Math.abs(link.expiresAt() - day) < 60, "valid for a day: " + link.expiresAt());
            assertFalse(link.revoked());

            RawClient guest = guest(f, link.token(), "Ann Lee");
            Welcome welcome = guest.next(Welcome.class);
            assertTrue(welcome.user().matches("guest-[a-z2-7]{16}"), welcome.user());
            assertEquals("alice", welcome.guestOf());

            guest.send(invite("g1", "alice"));
            Invite rings = alice.next(Invite.class);
            assertEquals(welcome.user(), rings.from());
            assertEquals("Ann Lee", rings.guest());
            guest.send(new Offer("g1", null, "alice", "v=0\r\n"));
            // held for alice's accept like any early offer: the guest is a party of its own call
            alice.send(new dev.parley.signaling.protocol.Accept("g1", null, welcome.user()));
            assertEquals("v=0\r\n", alice.next(Offer.class).sdp());
        }
    }

    @Test
    void aGuestMayCallNoOneButTheOwnerAndAskNothingElse() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient alice = f.rawSignedIn("alice");
            RawClient bob = f.rawSignedIn("bob");
            Link link = link(alice);
            RawClient guest = guest(f, link.token(), "Mallory");
            guest.next(Welcome.class);

            guest.send(invite("g2", "bob"));
            ErrorMessage refused = guest.next(ErrorMessage.class);
            assertEquals(ErrorCode.FORBIDDEN, refused.code());
            assertEquals("g2", refused.callId());
            for (var m : List.of(
                    new Subscribe(List.of("alice", "bob")),
                    new ContactRequest(null, "alice"),
                    new LinkCreate(0),
                    new LinkRevoke(link.token()))) {
                guest.send(m);
                assertEquals(ErrorCode.FORBIDDEN, guest.next(ErrorMessage.class).code(), m.toString());
            }
            // bob heard nothing of it (the first thing he gets is the answer to his own ping); alice's link works
            bob.send(new dev.parley.signaling.protocol.Ping(7));
            var first = bob.next();
            assertTrue(first instanceof dev.parley.signaling.protocol.Pong p && p.nonce() == 7, first.toString());
            guest(f, link.token(), "Ann").next(Welcome.class);
        }
    }

    /** The attack: a user (not a guest) dresses an invite up as a guest's to look like someone else. */
    @Test
    void aGuestNameCanOnlyComeFromTheServer() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient alice = f.rawSignedIn("alice");
            RawClient bob = f.rawSignedIn("bob");
            bob.send(invite("b1", "alice").withGuest("Alice's bank (guest, via link)"));
            Invite rings = alice.next(Invite.class);
            assertEquals("bob", rings.from());
            assertNull(rings.guest(), "the server removes a guest name a user wrote");

            Link link = link(alice);
            RawClient guest = guest(f, link.token(), "Ann");
            guest.next(Welcome.class);
            guest.send(invite("g3", "alice").withGuest("Someone else"));
            assertEquals("Ann", alice.next(Invite.class).guest(), "a guest's own claim is replaced too");
        }
    }

    /** A guest's connection drops mid-call (a new network): its token signs it in again as itself, its call routed on. */
    @Test
    void aGuestSignsInAgainAsItselfWithItsTokenAndItsLinkOnly() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient alice = f.rawSignedIn("alice");
            Link link = link(alice);
            Link other = link(alice);
            RawClient guest = f.raw();
            guest.send(Hello.guest(link.token(), "Ann", "web-ann", "test"));
            Welcome first = guest.next(Welcome.class);
            assertNotNull(first.token(), "a guest's resume token");
            guest.send(invite("g5", "alice"));
            alice.next(Invite.class);
            alice.send(new dev.parley.signaling.protocol.Accept("g5", null, first.user()));
            guest.next(dev.parley.signaling.protocol.Accept.class);

            // Refused: the token with another link, from another device, under another name, as a user's hello; a
            // made-up token.
            for (Hello wrong : List.of(
                    Hello.guestAgain(other.token(), "Ann", first.token(), "web-ann", "test"),
                    Hello.guestAgain(link.token(), "Alice's bank", first.token(), "web-ann", "test"),
                    Hello.guestAgain(link.token(), "Ann", first.token(), "web-other", "test"),
                    new Hello(null, null, first.token(), "web-ann", "test"),
                    new Hello(first.user(), null, first.token(), "web-ann", "test"),
                    Hello.guestAgain(link.token(), "Ann", "Z3Vlc3Q.AAAA", "web-ann", "test"))) {
                RawClient c = f.raw();
                c.send(wrong);
                assertEquals(ErrorCode.AUTH_FAILED, c.next(ErrorMessage.class).code(), wrong.toString());
            }

            for (int i = 1; i < GuestLinks.MAX_GUESTS_PER_LINK; i++) { // the link full, the old place still held
                guest(f, link.token(), "Guest " + i).next(Welcome.class);
            }
            RawClient again = f.raw(); // the old connection is not yet noticed as gone
            again.send(Hello.guestAgain(link.token(), "Ann", first.token(), "web-ann", "test"));
            Welcome second = again.next(Welcome.class);
            assertEquals(first.user(), second.user(), "the same guest");
            assertEquals("alice", second.guestOf());
            assertEquals(ErrorCode.REPLACED, guest.next(ErrorMessage.class).code());
            alice.send(new Offer("g5", null, first.user(), "v=0\r\n")); // alice's side of the call reaches it
            assertEquals("v=0\r\n", again.next(Offer.class).sdp());

            alice.send(new LinkRevoke(link.token())); // and not once the link is revoked
            alice.next(Link.class);
            RawClient late = f.raw();
            late.send(Hello.guestAgain(link.token(), "Ann", second.token(), "web-ann", "test"));
            assertEquals(ErrorCode.AUTH_FAILED, late.next(ErrorMessage.class).code());
        }
    }

    @Test
    void nobodyCallsAGuest() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient alice = f.rawSignedIn("alice");
            RawClient bob = f.rawSignedIn("bob");
            RawClient guest = guest(f, link(alice).token(), "Ann");
            String name = guest.next(Welcome.class).user();
            for (RawClient caller : List.of(alice, bob)) {
                caller.send(invite("to-guest", name));
                ErrorMessage refused = caller.next(ErrorMessage.class);
                assertEquals(ErrorCode.FORBIDDEN, refused.code());
                assertEquals("to-guest", refused.callId());
            }
            guest.send(new dev.parley.signaling.protocol.Ping(3));
            var first = guest.next();
            assertTrue(first instanceof dev.parley.signaling.protocol.Pong, "no invite reached the guest: " + first);
        }
    }

    @Test
    void aGuestsRelayLastsNoLongerThanItsLink() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerConfig.builder()
                .iceUris(List.of("stun:198.51.100.1:3478", "turn:198.51.100.1:3478"))
                .turnSecret("north-pole"))) {
            RawClient alice = f.rawSignedIn("alice");
            alice.send(new LinkCreate(600));
            Link link = alice.next(Link.class);
            RawClient guest = guest(f, link.token(), "Ann");
            Welcome welcome = guest.next(Welcome.class);
            var turn = welcome.iceServers().stream()
                    .filter(s -> s.credential() != null)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("a guest gets TURN: " + welcome.iceServers()));
            long expiry = Long.parseLong(turn.username().split(":")[0]);
            assertEquals(link.expiresAt(), expiry, "the relay credentials end with the link, not in 24 h");
            assertEquals(welcome.user(), turn.username().split(":")[1]);
        }
    }

    @Test
    void noUserSignsInUnderAGuestsName() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient fake = f.raw();
            fake.send(new Hello("guest-aaaaaaaaaaaaaaaa", null, null, null, "test"));
            ErrorMessage refused = fake.next(ErrorMessage.class);
            assertEquals(ErrorCode.AUTH_FAILED, refused.code());
            assertEquals(1008, fake.closed().get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aRevokedLinkSignsItsGuestsOutAndLetsNoOneIn() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient alice = f.rawSignedIn("alice");
            RawClient bob = f.rawSignedIn("bob");
            Link link = link(alice);
            Link other = link(alice);
            RawClient guest = guest(f, link.token(), "Ann");
            guest.next(Welcome.class);
            RawClient otherGuest = guest(f, other.token(), "Carl");
            otherGuest.next(Welcome.class);

            bob.send(new LinkRevoke(link.token()));
            assertEquals(ErrorCode.FORBIDDEN, bob.next(ErrorMessage.class).code(), "not bob's link to revoke");

            alice.send(new LinkRevoke(link.token()));
            Link revoked = alice.next(Link.class);
            assertTrue(revoked.revoked());
            assertEquals(link.token(), revoked.token());
            assertEquals(ErrorCode.AUTH_FAILED, guest.next(ErrorMessage.class).code());
            assertEquals(1008, guest.closed().get(5, TimeUnit.SECONDS));

            RawClient late = guest(f, link.token(), "Late");
            ErrorMessage refused = late.next(ErrorMessage.class);
            assertEquals(ErrorCode.AUTH_FAILED, refused.code());
            assertTrue(refused.message().contains("expired or was revoked"), refused.message());
            assertEquals(1008, late.closed().get(5, TimeUnit.SECONDS));

            otherGuest.send(invite("g4", "alice")); // the other link still works
            assertEquals("Carl", alice.next(Invite.class).guest());
            alice.send(new LinkRevoke(link.token()));
            assertEquals(ErrorCode.FORBIDDEN, alice.next(ErrorMessage.class).code(), "revoked already");
        }
    }

    @Test
    void linksHaveBoundsOnTheirLifeTheirNumberAndTheirGuests() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient alice = f.rawSignedIn("alice");
            for (long ttl : new long[] {59, 604_801}) {
                alice.send(new LinkCreate(ttl));
                assertEquals(
                        ErrorCode.INVALID_MESSAGE,
                        alice.next(ErrorMessage.class).code(),
                        "ttl " + ttl);
            }
            alice.send(new LinkCreate(60));
            Link shortLink = alice.next(Link.class);
            assertTrue(Math.abs(shortLink.expiresAt() - Instant.now().getEpochSecond() - 60) < 5);

            List<RawClient> guests = new ArrayList<>();
            for (int i = 0; i < GuestLinks.MAX_GUESTS_PER_LINK; i++) {
                RawClient g = guest(f, shortLink.token(), "Guest " + i);
                g.next(Welcome.class);
                guests.add(g);
            }
            RawClient oneTooMany = guest(f, shortLink.token(), "One too many");
            assertEquals(
                    ErrorCode.RATE_LIMITED, oneTooMany.next(ErrorMessage.class).code());
            guests.get(0).close(); // a place comes free when a guest leaves
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            boolean in = false;
            while (!in && System.nanoTime() < deadline) {
                RawClient again = guest(f, shortLink.token(), "Next");
                in = again.next() instanceof Welcome;
            }
            assertTrue(in, "a guest got the freed place");

            for (int i = 1; i < GuestLinks.MAX_PER_OWNER; i++) {
                link(alice);
            }
            alice.send(new LinkCreate(0));
            assertEquals(ErrorCode.RATE_LIMITED, alice.next(ErrorMessage.class).code());
        }
    }

    @Test
    void linksExpire() throws Exception {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        GuestLinks links = new GuestLinks(clock);
        GuestLinks.Link link = links.create("alice", Duration.ofMinutes(10));
        assertNotNull(links.admit(link.token(), false));
        now.addAndGet(Duration.ofMinutes(10).toMillis() - 1);
        assertNotNull(links.find(link.token()));
        now.addAndGet(1);
        assertNull(links.find(link.token()), "expired");
        assertNull(links.admit(link.token(), false));
        assertNull(links.revoke("alice", link.token()));
        links.sweep();
        assertEquals(0, links.size());
        assertThrows(IllegalArgumentException.class, () -> links.create("alice", Duration.ofDays(8)));
    }

    private HttpResponse<String> get(URI server, String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theLinksPageIsServedWithAStrictPolicyAndAGonePageForADeadLink() throws Exception {
        try (ServerFixture f = ServerFixture.open()) {
            RawClient alice = f.rawSignedIn("alice");
            Link link = link(alice);
            HttpResponse<String> page = get(f.uri(), "GET", "/join/" + link.token());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("/guest/join.js"), page.body());
            String policy = page.headers().firstValue("content-security-policy").orElse("");
            assertTrue(policy.contains("default-src 'none'") && policy.contains("script-src 'self'"), policy);
            assertFalse(policy.contains("unsafe"), policy);
            assertEquals(
                    "no-referrer", page.headers().firstValue("referrer-policy").orElse(""));
            assertEquals(
                    "nosniff",
                    page.headers().firstValue("x-content-type-options").orElse(""));
            assertEquals("no-store", page.headers().firstValue("cache-control").orElse(""));
            assertFalse(page.body().contains("<script>"), "no inline script");

            for (String dead : List.of("/join/" + link.token() + "x", "/join/nothing", "/join/")) {
                HttpResponse<String> gone = get(f.uri(), "GET", dead);
                assertEquals(410, gone.statusCode(), dead);
                assertTrue(gone.body().contains("data-state=\"gone\""), dead);
            }
            HttpResponse<String> script = get(f.uri(), "GET", "/guest/join.js");
            assertEquals(200, script.statusCode());
            assertTrue(script.headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
            for (String missing : List.of("/guest/", "/guest/../pom.xml", "/guest/join.html", "/guest/x.js")) {
                int status = get(f.uri(), "GET", missing).statusCode();
                assertTrue(status == 404 || status == 400, missing + ": " + status);
            }
            assertEquals(405, get(f.uri(), "POST", "/join/" + link.token()).statusCode());
        }
    }
}
