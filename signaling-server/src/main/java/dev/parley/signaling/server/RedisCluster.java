package dev.parley.signaling.server;

import dev.parley.signaling.protocol.PresenceStatus;
import dev.parley.signaling.protocol.UserNames;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One node's link to the others through Redis (docs/SCALING.md): what lives there is each node's heartbeat, each
 * node's signed-in devices and the routes of the calls being routed; what travels there is each node's device
 * changes (a broadcast channel) and the texts and call messages for one node (a channel per node).
 *
 * <p>Threads: the hub's threads only queue ({@link #deviceUp} and the like go to one writer thread that sends them
 * in order, pipelined); everything that changes this node's picture of the others runs on one thread, in the order
 * it came, so that a node's snapshot and its later changes apply in order; a heartbeat thread says this node is
 * alive, learns who else is, and rejoins after Redis was away. While Redis is unreachable the node serves its own
 * users only (the others' devices read as signed out) and says so in its log and on /health.
 */
final class RedisCluster implements ClusterLink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);

    static final String EVENTS = "parley:events";
    static final String NODES = "parley:nodes";
    private static final String TO = "parley:to:";
    private static final String DEVICES = "parley:devices:";
    private static final String CALL = "parley:call:";
    static final String CONTACTS = "parley:contacts";
    /** Set once Redis holds the cluster's contacts; a Redis restarted empty lacks it. */
    static final String CONTACTS_KEPT = "parley:contacts:kept";

    static final long BEAT_MILLIS = 1000;
    /** A node silent this long is dead: its devices sign out everywhere and its calls may be taken over. */
    static final long DEAD_AFTER_MILLIS = 3000;

    private static final long DEVICES_TTL_MILLIS = 10_000;
    private static final long CALL_TTL_MILLIS = TimeUnit.HOURS.toMillis(25);
    private static final int QUEUE_LIMIT = 200_000;
    /** Characters of texts waiting for the writer; beyond this the node rejoins (and rewrites what it holds). */
    private static final long QUEUED_CHARS_LIMIT = 32L << 20;

    private static final int BATCH = 512;

    /** Beats (with Redis's own clock, the same for every node), forgets long-dead nodes, returns the live ones. */
    private static final String BEAT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZADD', KEYS[1], now, ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 600000)
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            return redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[2]), '+inf')
            """;

    private static final String ALIVE = """
            local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not s then return 0 end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            if now - tonumber(s) <= tonumber(ARGV[2]) then return 1 end
            return 0
            """;

    /** Writes a call's record unless another node's call already holds that id (a client chooses the id). */
    private static final String OPEN = """
            local o = redis.call('HGET', KEYS[1], 'owner')
            if o and o ~= ARGV[1] then return 0 end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'caller', ARGV[2], 'callerDevice', ARGV[3], 'callee', ARGV[4])
            if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'calleeDevice', ARGV[5]) end
            redis.call('PEXPIRE', KEYS[1], ARGV[6])
            return 1
            """;

    private static final String ANSWERED = """
            if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
              redis.call('HSET', KEYS[1], 'calleeDevice', ARGV[2])
              return 1
            end
            return 0
            """;

    private static final String CLOSE = """
            if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] and redis.call('HGET', KEYS[1], 'caller') == ARGV[2] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    /**
     * Sets a contact pair's state if it is still what the deciding node saw, and tells every node the pair's state as
     * it then is, in one step: events reach every node in the order Redis took the writes.
     */
    private static final String CONTACT = """
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if not current then current = '' end
            if current == ARGV[2] then
              if ARGV[3] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
              current = ARGV[3]
            end
            redis.call('PUBLISH', KEYS[2], 'contact\\n' .. ARGV[4] .. '\\n' .. ARGV[1] .. '\\n' .. current)
            return current
            """;

    /**
     * A node's contact pairs for a Redis that lost the cluster's (no mark): each pair Redis lacks is set and told to
     * every node. Nothing is given back to a Redis that kept them. The first node to reach a Redis that lost them
     * (the nodes retry every second: one that was in the cluster, with its whole copy) gives back and sets the mark.
     */
    private static final String GIVE_BACK = """
            if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
            for i = 2, #ARGV, 2 do
              if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then
                redis.call('PUBLISH', KEYS[2], 'contact\\n' .. ARGV[1] .. '\\n' .. ARGV[i] .. '\\n' .. ARGV[i + 1])
              end
            end
            redis.call('SET', KEYS[3], '1')
            return 1
            """;

    private static final String TAKE_OVER = """
            if redis.call('HGET', KEYS[1], 'owner') == ARGV[1] then
              redis.call('HSET', KEYS[1], 'owner', ARGV[2])
              return 1
            end
            return 0
            """;

    private final String node;
    private final String where; // for logs: host:port, never a password
    private final HostAndPort address;
    private final JedisClientConfig config;
    private final JedisPooled pool;
    private final BlockingQueue<Op> outgoing = new LinkedBlockingQueue<>(QUEUE_LIMIT);

    /** Something for the writer to send; it may leave a look at the answers for after the pipeline's sync. */
    private interface Op {
        void write(Pipeline p, List<Runnable> afterSync);
    }

    /** Bumped at every (re)join: the writer then opens a new connection (the old one went with the old Redis). */
    private volatile int generation;
    /** The other nodes this node holds devices of, as last counted on the apply thread. */
    private volatile int others;

    private final AtomicLong queuedChars = new AtomicLong();
    private final ExecutorService apply;
    private final ScheduledExecutorService beat;
    private final Thread writer;
    private volatile Hub hub;
    private volatile boolean running = true;
    private volatile boolean attached;
    /** True once this node took the cluster's contacts in its current join: only then may its users change them. */
    private volatile boolean contactsLoaded;

    private volatile boolean warned; // that Redis cannot be reached, since the last time it could
    private volatile Set<String> alive = Set.of();
    private volatile Jedis subscriberConnection;
    /** The heartbeat's own connection (never waits behind look-ups for one of the pool's). The beat thread's. */
    private Jedis beatConnection;
    /** The owners of calls that {@link #find} found, so that a call's next messages go there without asking Redis. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    private static final int OWNERS_LIMIT = 100_000;

    /** The nodes whose devices this node holds. The apply thread's only. */
    private final Set<String> known = new HashSet<>();

    private RedisCluster(URI uri, String password) {
        this.node = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        this.address = new HostAndPort(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
        this.where = address.toString();
        DefaultJedisClientConfig.Builder b = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(2000)
                .socketTimeoutMillis(2000)
                .clientName("parley-" + node);
        if (password != null && !password.isEmpty()) {
            b.password(password);
        }
        this.config = b.build();
        ConnectionPoolConfig poolConfig = new ConnectionPoolConfig();
        poolConfig.setMaxTotal(16);
        poolConfig.setMaxWait(Duration.ofSeconds(1)); // a look-up waits this long for a connection, not forever
        this.pool = new JedisPooled(address, config, poolConfig);
        this.apply = Executors.newSingleThreadExecutor(r -> daemon(r, "parley-cluster"));
        this.beat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "parley-cluster-beat"));
        this.writer = daemon(this::write, "parley-cluster-writer");
    }

    /**
     * A link to the Redis at {@code uri} ({@code redis://host[:port]}); the password, if Redis wants one, comes
     * from elsewhere than the URL (a URL is seen in {@code ps} and logs).
     */
    static RedisCluster to(URI uri, String password) {
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("a cluster is redis://HOST[:PORT]"); // the URL may hold a password
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException(
                    "put the cluster's password in PARLEY_CLUSTER_PASSWORD, not in its URL (a URL shows in ps and logs)");
        }
        if ((uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
                || uri.getQuery() != null) {
            throw new IllegalArgumentException("a cluster is redis://HOST[:PORT], with no path or query");
        }
        return new RedisCluster(uri, password);
    }

    /** Joins the cluster for {@code hub} (or, if Redis cannot be reached now, keeps trying every second). */
    void start(Hub hub) {
        this.hub = hub;
        writer.start();
        beat();
        beat.scheduleWithFixedDelay(this::beat, BEAT_MILLIS, BEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public String node() {
        return node;
    }

    /** Whether this node is in touch with Redis. */
    boolean attached() {
        return attached;
    }

    /** The live nodes, this one included, as of the last heartbeat (empty while detached). */
    int nodes() {
        return attached ? others + 1 : 0;
    }

    // ---- from the hub, under its lock: queue only ----

    @Override
    public void deviceUp(Endpoint d) {
        String status = wire(d.status());
        String key = d.user() + "\n" + d.device();
        queue(p -> {
            p.hset(DEVICES + node, key, status);
            p.publish(EVENTS, "up\n" + node + "\n" + key + "\n" + status);
        });
    }

    @Override
    public void deviceDown(Endpoint d) {
        String key = d.user() + "\n" + d.device();
        queue(p -> {
            p.hdel(DEVICES + node, key);
            p.publish(EVENTS, "down\n" + node + "\n" + key);
        });
    }

    @Override
    public void deliver(RemoteDevice to, String text) {
        String message = "d\n" + node + "\n" + to.user() + "\n" + to.device() + "\n" + text;
        queue((p, afterSync) -> p.publish(TO + to.node(), message), message.length());
    }

    @Override
    public String changeContact(String a, String b, String expected, String state) {
        if (!attached || !contactsLoaded) {
            throw new Unavailable("Redis at " + where + " cannot be reached", null);
        }
        try {
            Object now = pool.eval(
                    CONTACT,
                    List.of(CONTACTS, EVENTS),
                    List.of(
                            ContactBook.pairKey(a, b),
                            expected == null ? "" : expected,
                            state == null ? "" : state,
                            node));
            return now == null || now.toString().isEmpty() ? null : now.toString();
        } catch (JedisException e) {
            throw new Unavailable("Redis at " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends the message to the node routing its call. If no one listens there (Redis knows at once when a node's
     * connection drops; its heartbeat takes seconds to go stale), the node is dead and this node takes the call over.
     */
    @Override
    public void forward(String owner, String callId, Endpoint from, String encoded) {
        String user = from.user();
        String device = from.device();
        String message = "r\n" + node + "\n" + user + "\n" + device + "\n" + encoded;
        queue(
                (p, afterSync) -> {
                    Response<Long> heard = p.publish(TO + owner, message);
                    afterSync.add(() -> {
                        if (heard.get() == 0) {
                            owners.remove(callId);
                            apply.execute(() -> hub.orphaned(owner, user, device, encoded));
                        }
                    });
                },
                message.length());
    }

    @Override
    public void opened(CallRoute route) {
        List<String> args = recordArgs(route);
        String key = CALL + route.callId;
        queue(p -> p.eval(OPEN, List.of(key), args));
    }

    private List<String> recordArgs(CallRoute route) {
        return List.of(
                node,
                route.caller,
                route.callerDevice,
                route.callee,
                route.calleeDevice == null ? "" : route.calleeDevice,
                Long.toString(CALL_TTL_MILLIS));
    }

    @Override
    public void answered(CallRoute route) {
        List<String> args = List.of(node, route.calleeDevice);
        String key = CALL + route.callId;
        queue(p -> p.eval(ANSWERED, List.of(key), args));
    }

    @Override
    public void closed(CallRoute route) {
        List<String> args = List.of(node, route.caller);
        String key = CALL + route.callId;
        queue(p -> p.eval(CLOSE, List.of(key), args));
    }

    private void queue(Consumer<Pipeline> op) {
        queue((p, afterSync) -> op.accept(p), 64);
    }

    /**
     * Queues for the writer. If it has fallen too far behind, the queue is dropped and the node rejoins, writing
     * afresh what it holds (its devices and routes): nothing is silently lost for good.
     */
    private void queue(Op op, int chars) {
        if (!attached) {
            return; // what matters is written again when this node rejoins
        }
        if (queuedChars.addAndGet(chars) > QUEUED_CHARS_LIMIT || !outgoing.offer(sized(op, chars))) {
            queuedChars.addAndGet(-chars);
            lost(new IllegalStateException("the writer fell behind Redis"));
        }
    }

    private Op sized(Op op, int chars) {
        return (p, afterSync) -> {
            queuedChars.addAndGet(-chars);
            op.write(p, afterSync);
        };
    }

    /** The writer thread: sends what was queued, in order, as pipelines. */
    private void write() {
        List<Op> batch = new ArrayList<>(BATCH);
        List<Runnable> afterSync = new ArrayList<>();
        Jedis jedis = null;
        int connectedAt = -1;
        while (running) {
            try {
                Op first = outgoing.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                outgoing.drainTo(batch, BATCH - 1);
                if (jedis != null && connectedAt != generation) {
                    jedis.close();
                    jedis = null;
                }
                if (jedis == null) {
                    connectedAt = generation;
                    jedis = new Jedis(address, config);
                }
                Pipeline p = jedis.pipelined();
                batch.forEach(op -> op.write(p, afterSync));
                p.sync();
                afterSync.forEach(Runnable::run);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) { // Redis, or a closing node's executors
                if (running) {
                    lost(e);
                }
                if (jedis != null) {
                    jedis.close();
                    jedis = null;
                }
            } finally {
                batch.clear();
                afterSync.clear();
            }
        }
        if (jedis != null) {
            jedis.close();
        }
    }

    // ---- off the lock ----

    @Override
    public CallRecord find(String callId) {
        if (!attached) {
            throw new Unavailable("not in touch with the cluster", null);
        }
        try {
            Map<String, String> f = pool.hgetAll(CALL + callId);
            if (f.isEmpty() || f.get("owner") == null || f.get("caller") == null || f.get("callee") == null) {
                return null;
            }
            if (owners.size() >= OWNERS_LIMIT) {
                owners.clear(); // forgetting costs one look-up per call
            }
            owners.put(callId, f.get("owner"));
            return new CallRecord(
                    callId,
                    f.get("owner"),
                    f.get("caller"),
                    f.get("callerDevice"),
                    f.get("callee"),
                    f.get("calleeDevice"));
        } catch (JedisException e) { // one failed look-up; the heartbeat decides whether Redis is gone
            throw new Unavailable("Redis at " + where + " cannot be reached", e);
        }
    }

    @Override
    public String ownerSeen(String callId) {
        return owners.get(callId);
    }

    @Override
    public boolean alive(String other) {
        if (other.equals(node) || alive.contains(other)) {
            return true;
        }
        try { // not seen alive at the last heartbeat: it may have joined since
            Object yes = pool.eval(ALIVE, List.of(NODES), List.of(other, Long.toString(DEAD_AFTER_MILLIS)));
            return Long.valueOf(1).equals(yes);
        } catch (JedisException e) {
            return true; // unknown: never take a call over on a guess
        }
    }

    @Override
    public boolean takeOver(String callId, String deadOwner) {
        try {
            Object yes = pool.eval(TAKE_OVER, List.of(CALL + callId), List.of(deadOwner, node));
            if (Long.valueOf(1).equals(yes)) {
                owners.remove(callId);
                log.info("Cluster: took over call {} from node {}, which is gone", callId, deadOwner);
                return true;
            }
            return false;
        } catch (JedisException e) {
            return false;
        }
    }

    // ---- heartbeat, joining and leaving ----

    private void beat() {
        if (!running) {
            return;
        }
        try {
            if (beatConnection == null) {
                beatConnection = new Jedis(address, config);
            }
            if (!attached) {
                join();
            }
            @SuppressWarnings("unchecked")
            List<String> live = (List<String>) beatConnection.eval(
                    BEAT,
                    List.of(NODES, DEVICES + node),
                    List.of(node, Long.toString(DEAD_AFTER_MILLIS), Long.toString(DEVICES_TTL_MILLIS)));
            Set<String> now = Set.copyOf(live);
            alive = now;
            apply.execute(() -> membership(now));
        } catch (JedisException | IllegalStateException e) {
            if (beatConnection != null) {
                beatConnection.close();
                beatConnection = null;
            }
            lost(e);
            if (!warned) {
                warned = true;
                log.warn(
                        "Cluster: Redis at {} cannot be reached ({}); serving this node's users only, trying again"
                                + " every second",
                        where,
                        e.getMessage());
            }
        } catch (RuntimeException e) {
            log.error("Cluster heartbeat failed", e);
        }
    }

    /**
     * (Re)joins: listens first, then writes this node's devices afresh (on the writer thread, after whatever was
     * queued, so nothing newer is overwritten) and says hello, so the others take its devices from Redis.
     */
    private void join() {
        beatConnection.ping();
        subscribe();
        if (!running) { // closed meanwhile: no listener may stay behind on this node's channel
            stopListening();
            return;
        }
        generation++;
        contactsLoaded = false;
        attached = true;
        warned = false;
        Hub h = hub;
        queue(p -> {
            p.del(DEVICES + node);
            for (Endpoint d : h.localDevices()) {
                p.hset(DEVICES + node, d.user() + "\n" + d.device(), wire(d.status()));
            }
            p.pexpire(DEVICES + node, DEVICES_TTL_MILLIS);
            for (CallRoute r : h.routesHere()) { // Redis may have restarted empty: its routes are this node's
                p.eval(OPEN, List.of(CALL + r.callId), recordArgs(r));
            }
            p.publish(EVENTS, "hello\n" + node);
        });
        apply.execute(this::loadContacts);
        log.info("Cluster: node {} joined through Redis at {}", node, where);
    }

    private void subscribe() {
        CountDownLatch subscribed = new CountDownLatch(2);
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                apply.execute(() -> heard(channel, message));
            }

            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }
        };
        Jedis connection = new Jedis(address, config);
        subscriberConnection = connection;
        Thread t = daemon(
                () -> {
                    try {
                        connection.subscribe(listener, EVENTS, TO + node);
                    } catch (JedisException e) {
                        if (running && subscriberConnection == connection) {
                            lost(e);
                        }
                    } finally {
                        connection.close();
                    }
                },
                "parley-cluster-listen");
        t.start();
        try {
            if (!subscribed.await(3, TimeUnit.SECONDS)) {
                connection.close();
                throw new IllegalStateException("could not subscribe to Redis at " + where);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.close();
            throw new IllegalStateException("interrupted while subscribing", e);
        }
    }

    /** Redis went away: the other nodes' devices sign out here, and this node serves its own users until it is back. */
    private synchronized void lost(Exception e) {
        if (!attached || !running) {
            return;
        }
        attached = false;
        alive = Set.of();
        outgoing.clear();
        queuedChars.set(0);
        owners.clear(); // calls may change hands while this node is away: ask Redis again
        warned = true;
        log.warn(
                "Cluster: Redis at {} cannot be reached ({}); serving this node's users only until it is back",
                where,
                e.getMessage());
        stopListening();
        apply.execute(() -> {
            known.clear();
            others = 0;
            hub.nodeGone(null);
        });
    }

    // ---- the apply thread ----

    private void membership(Set<String> live) {
        if (!attached) {
            return;
        }
        try {
            forgetTheDead(live);
        } catch (JedisException e) {
            lost(e);
        } finally {
            others = known.size();
        }
    }

    private void forgetTheDead(Set<String> live) {
        for (String n : List.copyOf(known)) {
            if (!live.contains(n)) {
                known.remove(n);
                log.info("Cluster: node {} is gone; its users are signed out here", n);
                hub.nodeGone(n);
            }
        }
        for (String n : live) {
            if (!n.equals(node) && !known.contains(n)) {
                load(n);
            }
        }
    }

    /** Takes a node's devices from Redis: those it has now sign in here, those it no longer has sign out. */
    private void load(String other) {
        Map<String, String> devices = pool.hgetAll(DEVICES + other); // throws before the node counts as known
        known.add(other);
        others = known.size();
        Set<String> have = new HashSet<>();
        devices.forEach((key, status) -> {
            String[] ud = key.split("\n", -1);
            PresenceStatus s = status(status);
            if (ud.length == 2 && s != null) {
                have.add(key);
                hub.remoteUp(other, ud[0], ud[1], s);
            }
        });
        hub.remoteDevicesOf(other).stream()
                .filter(d -> !have.contains(d.user() + "\n" + d.device()))
                .forEach(d -> hub.remoteDown(other, d.user(), d.device()));
        log.info("Cluster: node {} has {} devices signed in", other, have.size());
    }

    /**
     * Takes the cluster's contacts from Redis (they win over this node's copy, which may have missed changes while
     * this node was away). A Redis that restarted empty first gets this node's pairs back ({@link #GIVE_BACK}).
     */
    private void loadContacts() {
        if (!attached) {
            return;
        }
        try {
            List<String> args = new ArrayList<>();
            args.add(node);
            hub.contactPairs().forEach((pair, state) -> {
                args.add(pair);
                args.add(state);
            });
            pool.eval(GIVE_BACK, List.of(CONTACTS, EVENTS, CONTACTS_KEPT), args);
            Map<String, String> shared = pool.hgetAll(CONTACTS);
            Set<String> theirs = new HashSet<>(shared.keySet());
            shared.forEach(this::applyContactOrWarn);
            hub.contactPairs().keySet().stream()
                    .filter(pair -> !theirs.contains(pair))
                    .forEach(pair -> applyContactOrWarn(pair, "")); // removed while this node was away
            contactsLoaded = true;
            log.info("Cluster: {} contact pairs shared", shared.size());
        } catch (JedisException e) {
            lost(e);
        }
    }

    private void applyContactOrWarn(String pair, String state) {
        try {
            applyContact(pair, state);
        } catch (IllegalArgumentException e) {
            log.warn("Cluster: ignored a contact pair that does not hold ({})", e.getMessage());
        }
    }

    /** A pair's state from Redis or another node: names and state checked, then applied. */
    private void applyContact(String pair, String state) {
        String[] ab = pair.split("\n", -1);
        if (ab.length != 2 || !UserNames.isValid(ab[0]) || !UserNames.isValid(ab[1])) {
            throw new IllegalArgumentException("not a contact pair: " + LogSafe.quote(pair));
        }
        hub.remoteContact(ab[0], ab[1], state.isEmpty() ? null : state);
    }

    private void heard(String channel, String message) {
        if (!attached) {
            return;
        }
        try {
            if (channel.equals(EVENTS)) {
                event(message.split("\n", -1));
            } else {
                direct(message);
            }
        } catch (JedisException e) {
            lost(e);
        } catch (RuntimeException e) {
            log.warn("Cluster: ignored a message that does not hold ({})", e.toString());
        }
    }

    private void event(String[] f) {
        String from = f.length > 1 ? f[1] : "";
        if (f[0].equals("contact") && f.length == 5) {
            // Our own too: every node applies every change in Redis's order, so all end where Redis ends.
            applyContact(f[2] + "\n" + f[3], f[4]);
            return;
        }
        if (from.equals(node)) {
            return; // our own
        }
        switch (f[0]) {
            case "up" -> {
                PresenceStatus s = f.length == 5 ? status(f[4]) : null;
                if (s == null) {
                    throw new IllegalArgumentException("up without a status");
                }
                if (known.contains(from)) {
                    hub.remoteUp(from, f[2], f[3], s);
                } else {
                    load(from); // a node new to us: everything it has, this included
                }
            }
            case "down" -> {
                if (f.length == 4 && known.contains(from)) {
                    hub.remoteDown(from, f[2], f[3]);
                }
            }
            case "hello" -> load(from);
            case "bye" -> {
                if (known.remove(from)) {
                    others = known.size();
                    log.info("Cluster: node {} left", from);
                    hub.nodeGone(from);
                }
            }
            default -> throw new IllegalArgumentException("unknown event " + f[0]);
        }
    }

    private void direct(String message) {
        if (message.startsWith("d\n")) {
            String[] f = message.split("\n", 5);
            if (f.length == 5) {
                hub.deliver(f[1], f[2], f[3], f[4]);
            }
        } else if (message.startsWith("r\n")) {
            String[] f = message.split("\n", 5);
            if (f.length == 5) {
                hub.routeFrom(f[1], f[2], f[3], f[4]);
            }
        } else {
            throw new IllegalArgumentException("unknown direct message");
        }
    }

    private static String wire(PresenceStatus s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static PresenceStatus status(String wire) {
        return switch (wire) {
            case "online" -> PresenceStatus.ONLINE;
            case "away" -> PresenceStatus.AWAY;
            default -> null;
        };
    }

    /** Leaves: the others sign this node's users out at once instead of after its heartbeat stops. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        boolean wasAttached = attached;
        running = false;
        attached = false;
        beat.shutdownNow();
        writer.interrupt();
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (wasAttached) {
            try {
                pool.del(DEVICES + node);
                pool.zrem(NODES, node);
                pool.publish(EVENTS, "bye\n" + node);
            } catch (JedisException e) {
                log.debug("Cluster: could not say goodbye: {}", e.toString());
            }
        }
        stopListening();
        apply.shutdownNow();
        pool.close();
        log.info("Cluster: node {} left", node);
    }

    /** Closes the listening connection, which ends the listening thread's blocking read. */
    private void stopListening() {
        Jedis listening = subscriberConnection;
        subscriberConnection = null;
        if (listening != null) {
            listening.close();
        }
    }

    /** Stops at once, saying nothing, as a crashed process would (for tests of a node's death). */
    void halt() {
        running = false;
        attached = false;
        beat.shutdownNow();
        writer.interrupt();
        stopListening();
        apply.shutdownNow();
        pool.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
