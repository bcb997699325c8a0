package dev.parley.call;

import dev.parley.media.MediaEngine;
import dev.parley.signaling.client.ClientConfig;
import dev.parley.signaling.client.ConnectionState;
import dev.parley.signaling.client.GuestLinkAddress;
import dev.parley.signaling.client.SignalingClient;
import dev.parley.signaling.client.SignalingClientFactory;
import dev.parley.signaling.protocol.ContactAnswer;
import dev.parley.signaling.protocol.ContactRemove;
import dev.parley.signaling.protocol.ContactRequest;
import dev.parley.signaling.protocol.Contacts;
import dev.parley.signaling.protocol.ErrorMessage;
import dev.parley.signaling.protocol.IceServer;
import dev.parley.signaling.protocol.Link;
import dev.parley.signaling.protocol.LinkCreate;
import dev.parley.signaling.protocol.LinkRevoke;
import dev.parley.signaling.protocol.Message;
import dev.parley.signaling.protocol.Presence;
import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.Subscribe;
import dev.parley.signaling.protocol.UserNames;
import dev.parley.signaling.protocol.Welcome;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a desktop client is, below its UI: the signed-in account, the contacts with their presence, the call
 * engine and the call history, with the user's settings applied. A desktop UI drives it and listens to it; it
 * knows nothing of JavaFX.
 *
 * <p>Listeners are called on signaling and call threads: they must not block (a UI hops to its own thread).
 */
public final class ClientService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientService.class);
    private static final Pattern QUALITY = Pattern.compile("(\\d+)x(\\d+)@(\\d+)");

    /** Hears what the UI shows. Every method has a default, so a listener overrides what it needs. */
    public interface Listener {
        /** The signaling connection's state; {@code detail} says why (for logs; the UI words its own message). */
        default void onConnectionChanged(ConnectionState state, String detail) {}

        default void onPresenceChanged(String user, PresenceStatus status) {}

        /** Someone calls: ring, and {@link CallSession#accept()} or {@link CallSession#decline()}. */
        default void onIncomingCall(CallSession session) {}

        /** A call ended and was added to the history. */
        default void onHistoryChanged() {}

        /** The server's word on who is a contact, and on requests, changed ({@link #contactState}). */
        default void onContactsChanged() {}
    }

    /**
     * Where a contact stands with the server: presence is shared only between contacts (servers with accounts;
     * on an open server everyone is one).
     */
    public enum ContactState {
        /** Presence is shared. */
        CONTACT,
        /** We asked; they have not answered. */
        REQUESTED,
        /** They asked us; we have not answered. */
        ASKING,
        /** Nothing is asked yet (added while signed out: the request goes out at the next sign-in). */
        NONE
    }

    private final CompletableFuture<MediaEngine> media;
    private final SignalingClientFactory factory;
    private final ContactStore contacts;
    private final Trust trust;
    private final SettingsStore settings;
    private final CallHistory history;
    private volatile Contacts serverContacts; // null until the server sends one (an open server never does)
    private final CallOptions baseOptions;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, PresenceStatus> presence = new ConcurrentHashMap<>();

    private final Set<CallSession> recorded = ConcurrentHashMap.newKeySet(); // calls being recorded
    private final Set<CodeCall> codeCalls = ConcurrentHashMap.newKeySet(); // calls set up by codes, until they end
    /** Sign-in and sign-out work: never on a UI thread, one at a time, in order. */
    private final ExecutorService lifecycle = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "parley-client");
        t.setDaemon(true);
        return t;
    });

    // Guarded by this.
    private SignalingClient client;
    private CallEngine engine;
    private long generation;

    /**
     * @param media       the media engine, possibly still being made (devices are probed off the UI thread)
     * @param baseOptions call options before the settings' video quality is applied
     */
    public ClientService(
            CompletableFuture<MediaEngine> media,
            SignalingClientFactory factory,
            ContactStore contacts,
            SettingsStore settings,
            CallHistory history,
            CallOptions baseOptions) {
        this(media, factory, contacts, settings, history, baseOptions, Trust.inMemory());
    }

    /** As above, with this installation's identity and verified people ({@link Trust#load}). */
    public ClientService(
            CompletableFuture<MediaEngine> media,
            SignalingClientFactory factory,
            ContactStore contacts,
            SettingsStore settings,
            CallHistory history,
            CallOptions baseOptions,
            Trust trust) {
        this.trust = trust;
        this.media = media;
        this.factory = factory;
        this.contacts = contacts;
        this.settings = settings;
        this.history = history;
        this.baseOptions = baseOptions;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    public ContactStore contacts() {
        return contacts;
    }

    /** This installation's identity and the people its user verified. */
    public Trust trust() {
        return trust;
    }

    public SettingsStore settings() {
        return settings;
    }

    public CallHistory history() {
        return history;
    }

    public CompletableFuture<MediaEngine> media() {
        return media;
    }

    /**
     * Signs in (signing out first if needed). Completes with the server's welcome, or fails with a
     * {@link dev.parley.signaling.client.SignalingException} when the server refuses the credentials. While the
     * server cannot be reached it keeps trying, and {@link Listener#onConnectionChanged} says so; {@link #signOut()}
     * gives up. On success the server and user name are remembered in the settings (never the password). Returns
     * at once: the work runs on the service's own thread, never the caller's (a UI thread must not wait).
     */
    public CompletableFuture<Welcome> signIn(URI server, String user, String password) {
        return signIn(server, user, password, true);
    }

    /**
     * Signs in; with {@code remember} false the server is not saved in the settings (the built-in server, whose
     * address is this session's), only the user name.
     */
    public CompletableFuture<Welcome> signIn(URI server, String user, String password, boolean remember) {
        return signIn(List.of(server), user, password, remember);
    }

    /**
     * Signs in to a service of several nodes ({@link ServerList}): the first, and the next whenever one cannot be
     * reached or its connection drops.
     */
    public CompletableFuture<Welcome> signIn(List<URI> servers, String user, String password, boolean remember) {
        URI server = servers.get(0);
        ClientConfig config = ClientConfig.of(server, user, password)
                .withAlternates(servers.subList(1, servers.size()))
                .withDevice(settings.get().device())
                .withBackoff(Duration.ofMillis(250), Duration.ofSeconds(8));
        long attempt;
        synchronized (this) {
            attempt = ++generation; // a later sign-in or sign-out makes this attempt stale
        }
        return CompletableFuture.runAsync(() -> close(detach()), lifecycle)
                .thenCompose(ignored -> media)
                .thenComposeAsync(
                        m -> {
                            SignalingClient c;
                            synchronized (this) {
                                if (attempt != generation) {
                                    return CompletableFuture.failedFuture(
                                            new CancellationException("sign-in cancelled"));
                                }
                                c = factory.create(config);
                                c.addListener(new SignalingListener(c));
                                client = c;
                                engine = new CallEngine(m, c, baseOptions, this::incoming);
                                engine.setIdentity(trust.identity());
                                applySettings(settings.get(), m);
                            }
                            return c.connect().whenComplete((welcome, failure) -> {
                                if (failure != null) {
                                    closeIfCurrent(c);
                                } else {
                                    subscribe();
                                    try {
                                        settings.set(settings.get()
                                                .withAccount(remember ? ServerList.format(servers) : null, user));
                                    } catch (IOException e) {
                                        log.warn("Cannot remember the account in the settings: {}", e.toString());
                                    }
                                }
                            });
                        },
                        lifecycle);
    }

    /** Signs out: hangs up any call and closes the connection, now, on the caller's thread. Idempotent. */
    public void signOut() {
        synchronized (this) {
            generation++;
        }
        close(detach());
    }

    /** {@link #signOut()} on the service's own thread, for a UI thread that must not wait for calls to end. */
    public CompletableFuture<Void> signOutLater() {
        synchronized (this) {
            generation++;
        }
        return CompletableFuture.runAsync(() -> close(detach()), lifecycle);
    }

    private record Connection(SignalingClient client, CallEngine engine) {}

    private synchronized Connection detach() {
        Connection c = new Connection(client, engine);
        client = null;
        engine = null;
        serverContacts = null; // the next server says its own
        return c;
    }

    private void close(Connection c) {
        if (c.engine() != null) {
            c.engine().close(); // hangs up: may take a moment
        }
        if (c.client() != null) {
            c.client().close();
            presence.clear();
        }
    }

    private void closeIfCurrent(SignalingClient c) {
        Connection stale;
        synchronized (this) {
            if (client != c) {
                return;
            }
            stale = detach();
        }
        close(stale);
    }

    /** Whether a connection exists (signed in, or signing in, or reconnecting). */
    public synchronized boolean signedIn() {
        return client != null && client.state() == ConnectionState.CONNECTED;
    }

    /** The signed-in user name, or null. */
    public synchronized String user() {
        return client == null || client.session() == null
                ? null
                : client.session().user();
    }

    /** Calls someone; the returned session tells how it goes. */
    public CallSession dial(String user) {
        CallEngine e;
        synchronized (this) {
            e = engine;
        }
        if (e == null) {
            throw new IllegalStateException("not signed in");
        }
        return record(e.dial(user)); // may be the ringing call from them, recorded already
    }

    /**
     * A guest link: the page to send someone with only a web browser, and when it stops working.
     *
     * @param token the link's token, to revoke it
     */
    public record GuestLink(URI page, String token, Instant expires) {}

    /**
     * Asks the server for a guest link valid for {@code ttl} (a minute to a week). Completes off the caller's thread
     * with the link, or fails with the server's reason (or "not signed in"); within 10 s either way. One request at a
     * time: two at once may both complete with the first answer.
     */
    public CompletableFuture<GuestLink> createGuestLink(Duration ttl) {
        return askAboutLink(new LinkCreate(ttl.toSeconds()), "link-create");
    }

    /** Ends a guest link of ours: nobody can join with it any more, and its guests are signed out. */
    public CompletableFuture<GuestLink> revokeGuestLink(String token) {
        return askAboutLink(new LinkRevoke(token), "link-revoke");
    }

    private CompletableFuture<GuestLink> askAboutLink(Message request, String type) {
        SignalingClient c;
        synchronized (this) {
            c = client;
        }
        if (c == null || c.state() != ConnectionState.CONNECTED || c.server() == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not signed in"));
        }
        CompletableFuture<GuestLink> answer = new CompletableFuture<>();
        SignalingClient.Listener listener = new SignalingClient.Listener() {
            @Override
            public void onMessage(Message m) {
                if (m instanceof Link link) {
                    answer.complete(new GuestLink(
                            GuestLinkAddress.page(c.server(), link.token()),
                            link.token(),
                            Instant.ofEpochSecond(link.expiresAt())));
                } else if (m instanceof ErrorMessage e && type.equals(e.inReplyTo())) {
                    answer.completeExceptionally(new IllegalStateException(e.message()));
                }
            }
        };
        c.addListener(listener);
        answer.whenComplete((link, failure) -> c.removeListener(listener));
        if (!c.send(request)) {
            answer.completeExceptionally(new IllegalStateException("not signed in"));
        }
        return answer.orTimeout(10, TimeUnit.SECONDS);
    }

    /** Where {@code user} stands as a contact; {@link ContactState#CONTACT} on a server without contact lists. */
    public ContactState contactState(String user) {
        Contacts c = serverContacts;
        if (c == null) {
            return ContactState.CONTACT;
        }
        return c.accepted().contains(user)
                ? ContactState.CONTACT
                : c.outgoing().contains(user)
                        ? ContactState.REQUESTED
                        : c.incoming().contains(user) ? ContactState.ASKING : ContactState.NONE;
    }

    /** Users who asked to be our contact and wait for an answer (empty on a server without contact lists). */
    public List<String> contactRequests() {
        Contacts c = serverContacts;
        return c == null ? List.of() : c.incoming();
    }

    /** Answers a contact request: accepted, they become a contact (saved under this name); refused, it goes. */
    public void answerContact(String user, String displayName, boolean accept) throws IOException {
        if (accept) {
            contacts.put(new Contact(user, displayName));
        }
        send(new ContactAnswer(null, user, accept));
        subscribe();
    }

    private synchronized void send(Message m) {
        if (client != null) {
            client.send(m);
        }
    }

    /** A contact's presence as last heard; offline when unknown. */
    public PresenceStatus presenceOf(String user) {
        return presence.getOrDefault(user, PresenceStatus.OFFLINE);
    }

    /** Sets our own status (online or away) for those who have us as a contact. */
    public synchronized void setOwnStatus(PresenceStatus status) {
        if (client != null && status != PresenceStatus.OFFLINE) {
            client.send(new Presence(null, status));
        }
    }

    /**
     * Adds or updates a contact, saves it, and follows its presence. A new one is asked to be a contact (on a
     * server with contact lists, presence flows once they accept; {@link #contactState}).
     */
    public void putContact(Contact contact) throws IOException {
        boolean isNew = contacts.all().stream().noneMatch(c -> c.user().equals(contact.user()));
        contacts.put(contact);
        ContactState state = contactState(contact.user());
        if (isNew && serverContacts != null && (state == ContactState.NONE || state == ContactState.ASKING)) {
            // (asking someone who asked us makes us contacts at once)
            send(new ContactRequest(null, contact.user()));
        }
        subscribe();
    }

    /** Removes a contact: no longer followed, and (on a server with contact lists) no longer a contact there. */
    public void removeContact(String user) throws IOException {
        contacts.remove(user);
        presence.remove(user);
        if (serverContacts != null) {
            send(new ContactRemove(null, user));
        }
        subscribe();
    }

    /** Saves new settings and applies them to calls set up from now on. */
    public void updateSettings(Settings next) throws IOException {
        settings.set(next);
        MediaEngine m = media.getNow(null);
        synchronized (this) {
            if (engine != null && m != null) {
                applySettings(settings.get(), m);
            }
        }
    }

    /** Holds this. */
    private void applySettings(Settings s, MediaEngine m) {
        engine.setOptions(optionsFor(s));
        engine.setPreferredCamera(s.camera());
        m.useAudioDevices(s.microphone(), s.speaker());
        engine.setExtraIceServers(iceServersOf(s));
    }

    /**
     * Real devices only, unless the options ask for synthetic media: without a camera the call starts with the
     * camera off, without a sound system it sends silence, and the call says so (DeviceNotice).
     */
    private CallOptions optionsFor(Settings s) {
        CallOptions o = baseOptions;
        Matcher q = QUALITY.matcher(s.videoQuality());
        if (q.matches()) {
            o = o.withVideo(Integer.parseInt(q.group(1)), Integer.parseInt(q.group(2)), Integer.parseInt(q.group(3)));
        }
        return o;
    }

    private static List<IceServer> iceServersOf(Settings s) {
        try {
            return IceServerLines.parse(s.iceServers());
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring the STUN/TURN servers in the settings: {}", e.getMessage());
            return List.of();
        }
    }

    /** How long an invite code stays good in the app. */
    public static final Duration CODE_TTL = Duration.ofMinutes(15);

    /**
     * "Call without a server", the inviting side: a call with its own engine on this app's media, settings (video
     * quality, camera, the user's STUN/TURN servers) and identity. Completes off the caller's thread; its
     * {@link CodeCall#code()} is the invite code to show. Signed in or not.
     */
    public CompletableFuture<CodeCall> inviteByCode() {
        return media.thenApplyAsync(m -> {
            Settings s = settings.get();
            return keep(CodeCall.invite(m, optionsFor(s), iceServersOf(s), codeName(s), CODE_TTL, e -> setUp(e, s)));
        });
    }

    /**
     * "Join with a code": answers a pasted invite code; its {@link CodeCall#code()} is the answer code to send back.
     * Fails with {@link InviteCode.BadCode} (saying why) for a paste that is not a good invite code.
     */
    public CompletableFuture<CodeCall> joinByCode(String pasted) {
        InviteCode invite;
        try {
            invite = InviteCode.parse(pasted, Clock.systemUTC());
        } catch (InviteCode.BadCode e) {
            return CompletableFuture.failedFuture(e);
        }
        return media.thenApplyAsync(m -> {
            Settings s = settings.get();
            try {
                return keep(CodeCall.join(
                        m, optionsFor(s), iceServersOf(s), codeName(s), invite, CODE_TTL, e -> setUp(e, s)));
            } catch (InviteCode.BadCode e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * A code call is hung up if the service closes first. It is not written to the recent calls: its peer is no
     * user of any server (the name is what their code says), so calling it back would ring someone else.
     */
    private CodeCall keep(CodeCall call) {
        codeCalls.add(call);
        call.session().thenAccept(session -> {
            session.addListener((x, state, reason) -> {
                if (state == CallState.ENDED) {
                    codeCalls.remove(call);
                }
            });
        });
        return call;
    }

    private void setUp(CallEngine e, Settings s) {
        e.setPreferredCamera(s.camera());
        e.setIdentity(trust.identity());
    }

    /** The name the other side of a code call sees: the signed-in (or last) user's, else "parley". */
    private String codeName(Settings s) {
        String me = user();
        if (me == null) {
            me = s.user();
        }
        return me != null && UserNames.isValid(me) ? me : "parley";
    }

    /** Sends a request for every saved contact the server knows nothing of yet. */
    private void askForNewContacts() {
        for (Contact c : contacts.all()) {
            if (contactState(c.user()) == ContactState.NONE) {
                send(new ContactRequest(null, c.user()));
            }
        }
    }

    private void subscribe() {
        SignalingClient c;
        synchronized (this) {
            c = client;
        }
        if (c != null) {
            List<String> users = contacts.all().stream()
                    .map(Contact::user)
                    .limit(Subscribe.MAX_USERS)
                    .toList();
            c.send(new Subscribe(users));
        }
    }

    private void incoming(CallSession session) {
        record(session);
        for (Listener l : listeners) {
            safely(() -> l.onIncomingCall(session));
        }
    }

    /** Adds the call to the history when it ends: who, which way, when, how long connected, how it ended. */
    private CallSession record(CallSession session) {
        if (!recorded.add(session)) {
            return session;
        }
        long startedAt = System.currentTimeMillis();
        long[] connectedAt = {0};
        session.addListener((s, state, reason) -> {
            if (state == CallState.CONNECTED && connectedAt[0] == 0) {
                connectedAt[0] = System.currentTimeMillis();
            } else if (state == CallState.ENDED) {
                long seconds = connectedAt[0] == 0 ? 0 : (System.currentTimeMillis() - connectedAt[0] + 500) / 1000;
                recorded.remove(s);
                history.add(new CallHistory.Entry(
                        s.peer(), s.outgoing(), startedAt, seconds, reason == null ? "unknown" : reason.wireName()));
                listeners.forEach(l -> safely(l::onHistoryChanged));
            }
        });
        return session;
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("A client listener failed", e);
        }
    }

    /** Tracks one client's presence and state; stale clients' events are ignored. */
    private final class SignalingListener implements SignalingClient.Listener {
        private final SignalingClient source;

        SignalingListener(SignalingClient source) {
            this.source = source;
        }

        private boolean current() {
            synchronized (ClientService.this) {
                return client == source;
            }
        }

        @Override
        public void onMessage(Message message) {
            if (message instanceof Presence p && p.user() != null && current()) {
                presence.put(p.user(), p.status());
                listeners.forEach(l -> safely(() -> l.onPresenceChanged(p.user(), p.status())));
            } else if (message instanceof Contacts c && current()) {
                boolean first = serverContacts == null;
                serverContacts = c;
                if (first) {
                    askForNewContacts(); // added while signed out, or on another server
                }
                listeners.forEach(l -> safely(l::onContactsChanged));
            }
        }

        @Override
        public void onStateChanged(ConnectionState state, String detail) {
            if (source.state() != state || !current()) {
                return; // an event overtaken by a newer one, or from a client signed out since
            }
            if (state != ConnectionState.CONNECTED) {
                presence.replaceAll((u, s) -> PresenceStatus.OFFLINE); // unknown while we are away
                presence.keySet()
                        .forEach(u ->
                                listeners.forEach(l -> safely(() -> l.onPresenceChanged(u, PresenceStatus.OFFLINE))));
            }
            listeners.forEach(l -> safely(() -> l.onConnectionChanged(state, detail)));
        }
    }

    /** Signs out. The media engine and the factory stay their owner's. */
    @Override
    public void close() {
        signOut();
        codeCalls.forEach(CodeCall::close);
        lifecycle.shutdown();
    }
}
