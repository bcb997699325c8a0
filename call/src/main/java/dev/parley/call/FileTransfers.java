package dev.parley.call;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.parley.signaling.client.SerialExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one call, both ways (docs/PROTOCOL.md, "In-call messages": {@code file-offer}, {@code file-answer},
 * {@code file-cancel}, {@code file-received}, and a data channel {@code file:ID} per transfer for the bytes).
 * The sender reads the file in 256 KiB pieces straight into the channel and stops while the channel holds 8 MiB
 * not yet sent (it goes on as the channel drains). The receiver writes through {@link IncomingFile}, which holds
 * the peer to its announced size and hash, on a disk thread of its own (a slow disk never holds up the call), and
 * reports on the transfer's channel how much it has written; the sender keeps at most {@link #WINDOW} bytes beyond
 * that report on their way. So memory stays flat on both sides whatever the size and whatever the disk's speed:
 * the channel gives a receiver no other way to slow a sender. Runs on the call's thread; the channels' native
 * callbacks only copy and hand over.
 */
final class FileTransfers {
    private static final Logger log = LoggerFactory.getLogger(FileTransfers.class);
    static final String CHANNEL_PREFIX = "file:";
    /**
     * A piece of a file: 256 KiB, the largest message libwebrtc takes (its SCTP max-message-size), a quarter of the
     * per-message work (native calls, hand-overs) of 64 KiB pieces: 512 MiB on a link moved 33–34 MB/s against
     * 29–31 (parley bench file).
     */
    static final int CHUNK = 256 * 1024;

    private static final long HIGH_WATER = 8L << 20; // libwebrtc closes a channel holding over 16 MiB
    /** Offers from the peer that may wait for an answer at once; more are declined. */
    static final int MAX_WAITING_OFFERS = 16;

    /**
     * The files' one timer thread (file links' limits too). It looks at a full channel again a moment later:
     * webrtc-java 0.14.0 was seen not to call {@code onBufferedAmountChange} as the channel drains (a transfer
     * stalled at its first 4 MiB without this).
     */
    static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-file-pump");
        t.setDaemon(true);
        return t;
    });

    private static final long RETRY_MILLIS = 5;

    /** A moving transfer's progress is published this often (and at its turns). */
    private static final long PUBLISH_NANOS = 200_000_000L;

    /**
     * A transfer's channel that closes before its end waits this long for the peer's word: a cancel travels on the
     * call's own channel, another SCTP stream, and may arrive after the close it caused (seen in CI: a receiver's
     * cancel reported to the sender as a failed channel).
     */
    static final long PEER_WORD_MILLIS = 1000;

    /**
     * Whether this side moves files on file links (a connection of their own, {@link FileLinks}) when the peer can:
     * {@code -Dparley.fileLinks=false} keeps every file on the call's connection (to compare; older Parleys).
     */
    static final boolean LINKS = !"false".equals(System.getProperty("parley.fileLinks"));

    /** The bytes a sender may have on their way beyond what the receiver reported written. */
    static final long WINDOW = 8L << 20; // keeps the receiver further from 32 MB of growth; 1 GiB moved no slower

    /** The receiver reports what it has written at least this often (and when everything is written). */
    static final long REPORT_EVERY = 1L << 20;

    /** The threads that write received files (each transfer's writes in order). */
    private static final ExecutorService DISK = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "parley-file-disk");
        t.setDaemon(true);
        return t;
    });

    private static final ExecutorService HASHING = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "parley-file-hash");
        t.setDaemon(true);
        return t;
    });

    /** What the transfers need from their call. */
    interface Call {
        /** Runs on the call's thread. */
        void run(Runnable task);

        /** Sends a data-channel message now, or once the channel is open (opening it if need be). */
        void send(String message);

        /**
         * Opens a data channel for a transfer's bytes, on a file link ({@link FileLinks}) if {@code link} and one can
         * be had, else on the call's connection, and hands it to {@code then} on the call's thread (null when the
         * call has no connection any more). The channel is closed and freed with the call.
         */
        void openChannel(String label, boolean link, FileLinks.Opened then);

        /** This side takes a file on a file link: the peer may offer one. */
        void agreeLink();

        /** Tells the listeners. */
        void publish(FileTransfer t);
    }

    private final String callId;
    private final Call call;
    private final Map<String, Outgoing> outgoing = new LinkedHashMap<>();
    private final Map<String, Incoming> incoming = new LinkedHashMap<>();
    private Executor diskThreads = DISK;
    private boolean links = LINKS;
    private long cancelDelayMillis;
    private long senderLagMillis;
    private boolean ended;

    FileTransfers(String callId, Call call) {
        this.callId = callId;
        this.call = call;
    }

    /** Whether this side offers and takes file links from now on (a test plays an older Parley without them). */
    void useLinks(boolean use) {
        links = use;
    }

    /** The threads that write the files offered from now on (a test holds them back to be a slow disk). */
    void useDiskThreads(Executor threads) {
        diskThreads = threads;
    }

    // ---- the sender ----

    /** Offers {@code file}: hashes it off the call's thread first, then offers it. Call from any thread. */
    FileTransfer send(Path file) {
        String id = UUID.randomUUID().toString().replace("-", "");
        String name = file.getFileName() == null ? "file" : file.getFileName().toString();
        long size;
        String mime;
        try {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IOException("not a readable file");
            }
            size = Files.size(file);
            mime = Files.probeContentType(file);
        } catch (IOException e) {
            FileTransfer failed = new FileTransfer(
                    id,
                    true,
                    name,
                    0,
                    "",
                    FileTransfer.Status.FAILED,
                    0,
                    0,
                    null,
                    file + ": " + e.getMessage(),
                    false,
                    false);
            call.publish(failed);
            return failed;
        }
        Outgoing o = new Outgoing(id, file, name, size, mime == null ? "" : mime);
        call.run(() -> {
            outgoing.put(id, o);
            if (ended) {
                o.fail(FileTransfer.Status.CANCELLED, "the call ended");
            }
        });
        CompletableFuture.supplyAsync(() -> sha256(file), HASHING)
                .whenComplete((hash, error) -> call.run(() -> {
                    if (o.status.over()) {
                        return;
                    }
                    if (error != null) {
                        o.fail(FileTransfer.Status.FAILED, "reading the file failed: " + error.getMessage());
                        return;
                    }
                    o.sha256 = hash;
                    call.send(PeerMessages.fileOffer(
                            new PeerMessages.FileOffer(id, name, size, o.mime, hash, true, links)));
                    log.info("Call {}: offered {} ({} bytes) as {}", callId, name, size, id);
                }));
        return o.snapshot();
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The peer's answer to our offer. */
    private void answered(PeerMessages.FileAnswer a) {
        Outgoing o = outgoing.get(a.id());
        if (o == null || o.status != FileTransfer.Status.OFFERED || o.sha256 == null) {
            return; // not ours, or not waiting for an answer: a confused or hostile peer
        }
        if (!a.accept()) {
            o.fail(FileTransfer.Status.DECLINED, "declined");
            return;
        }
        try {
            o.in = FileChannel.open(o.path, StandardOpenOption.READ);
        } catch (IOException e) {
            o.fail(FileTransfer.Status.FAILED, "cannot read " + o.path + ": " + e.getMessage());
            call.send(PeerMessages.fileCancel(o.id, "the sender cannot read the file"));
            return;
        }
        o.window = a.window();
        o.status = FileTransfer.Status.MOVING;
        o.startNanos = System.nanoTime();
        o.publish();
        call.openChannel(CHANNEL_PREFIX + o.id, a.link() && links, (dc, onLink, tcp) -> opened(o, dc, onLink, tcp));
    }

    /** The channel for a file's bytes (on the call's thread, maybe after its link connected). */
    private void opened(Outgoing o, RTCDataChannel dc, boolean onLink, boolean tcp) {
        if (dc == null) {
            if (!o.status.over()) {
                call.send(PeerMessages.fileCancel(o.id, "the sender has no connection for it"));
                o.fail(FileTransfer.Status.FAILED, "the call has no connection");
            }
            return;
        }
        if (o.status.over()) {
            dc.close(); // cancelled meanwhile; freed with the call
            return;
        }
        o.channel = dc;
        o.onLink = onLink;
        o.overTcp = tcp;
        dc.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {
                if (o.drainWanted) {
                    o.wake();
                }
            }

            @Override
            public void onStateChange() {
                o.stateChanged = true;
                o.wake();
            }

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {
                // The receiver's report of the bytes it has written: 8 bytes, big-endian. Anything else is ignored.
                try {
                    if (buffer.binary && buffer.data.remaining() == Long.BYTES) {
                        o.report(buffer.data.getLong(buffer.data.position()));
                    }
                } catch (Throwable e) {
                    log.warn("Call {}: dropped a report on a file: {}", callId, e.toString());
                }
            }
        });
        o.publish();
        o.pump();
    }

    /** The receiver's verdict on a file we sent. */
    private void verdict(PeerMessages.FileReceived r) {
        Outgoing o = outgoing.get(r.id());
        if (o == null || o.status.over() || o.status == FileTransfer.Status.OFFERED) {
            return;
        }
        if (r.ok() && o.read == o.size) {
            // The receiver checked the hash of every byte: all were sent, whatever this side last read of its
            // channel's buffer (the verdict travels on another stream and may overtake the drain's callback).
            o.sent = o.size;
            o.status = FileTransfer.Status.DONE;
            o.close();
            o.publish();
            log.info("Call {}: {} arrived ({} bytes)", callId, o.name, o.size);
        } else {
            String why = r.ok() ? "the receiver claimed the file before it was all sent" : r.reason();
            o.fail(FileTransfer.Status.FAILED, "the receiver says: " + (why == null ? "not saved" : why));
        }
    }

    // ---- the receiver ----

    private void offered(PeerMessages.FileOffer offer) {
        if (incoming.containsKey(offer.id()) || outgoing.containsKey(offer.id())) {
            return;
        }
        long waiting = incoming.values().stream()
                .filter(i -> i.status == FileTransfer.Status.OFFERED)
                .count();
        if (ended || waiting >= MAX_WAITING_OFFERS) {
            call.send(PeerMessages.fileAnswer(offer.id(), false));
            return;
        }
        Incoming i = new Incoming(offer);
        incoming.put(offer.id(), i);
        i.publish();
    }

    /** The user takes an offered file into {@code folder}. */
    void accept(String id, Path folder) {
        Incoming i = incoming.get(id);
        if (i == null || i.status != FileTransfer.Status.OFFERED) {
            return;
        }
        try {
            i.file = IncomingFile.open(folder, i.offer.name(), i.offer.size(), i.offer.sha256());
        } catch (IncomingFile.FailedException e) {
            call.send(PeerMessages.fileAnswer(id, false));
            i.fail(FileTransfer.Status.FAILED, e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            call.send(PeerMessages.fileAnswer(id, false));
            i.fail(FileTransfer.Status.FAILED, "a malformed offer: " + e.getMessage());
            return;
        }
        i.status = FileTransfer.Status.MOVING;
        i.startNanos = System.nanoTime();
        boolean link = i.offer.link() && links;
        if (link) {
            call.agreeLink();
        }
        call.send(PeerMessages.fileAnswer(id, true, i.offer.windowed() ? WINDOW : 0, link));
        i.publish();
        if (i.offer.size() == 0) {
            i.complete(); // nothing to wait for
        }
    }

    /** The user declines an offered file. */
    void decline(String id) {
        Incoming i = incoming.get(id);
        if (i != null && i.status == FileTransfer.Status.OFFERED) {
            call.send(PeerMessages.fileAnswer(id, false));
            i.fail(FileTransfer.Status.DECLINED, "declined");
        }
    }

    /** A channel the peer opened for a transfer's bytes (kept by whoever holds it: closed and freed with the call). */
    void channel(RTCDataChannel dc, boolean onLink, boolean tcp) {
        String id = dc.getLabel().substring(CHANNEL_PREFIX.length());
        Incoming i = incoming.get(id);
        if (i == null || i.status != FileTransfer.Status.MOVING || i.channel != null) {
            log.warn("Call {}: closed a file channel nobody asked for", callId);
            dc.close();
            return;
        }
        i.channel = dc;
        i.onLink = onLink;
        i.overTcp = tcp;
        dc.registerObserver(new RTCDataChannelObserver() {
            @Override
            public void onBufferedAmountChange(long previousAmount) {}

            @Override
            public void onStateChange() {
                call.run(i::channelState);
            }

            @Override
            public void onMessage(RTCDataChannelBuffer buffer) {
                // A native thread, and the buffer lives only during this call: copy, then hand over.
                try {
                    if (!buffer.binary || i.stopped) {
                        return; // not a piece, or the transfer stopped: no copy (arrived would drop it anyway)
                    }
                    int n = buffer.data.remaining();
                    ByteBuffer piece = i.pieces.fits(n) ? i.pieces.take() : ByteBuffer.allocate(n);
                    i.arrived(piece.put(buffer.data).flip());
                } catch (Throwable e) {
                    log.warn("Call {}: dropped a piece of a file: {}", callId, e.toString());
                }
            }
        });
    }

    // ---- both ----

    /** A file message from the peer (PeerChannel, on the call's thread). */
    void message(PeerMessages.PeerMessage m) {
        if (ended) {
            return;
        }
        if (m instanceof PeerMessages.FileOffer f) {
            offered(f);
        } else if (m instanceof PeerMessages.FileAnswer a) {
            answered(a);
        } else if (m instanceof PeerMessages.FileReceived r) {
            verdict(r);
        } else if (m instanceof PeerMessages.FileCancel c) {
            Outgoing o = outgoing.get(c.id());
            if (o != null && !o.status.over()) {
                o.fail(FileTransfer.Status.CANCELLED, "cancelled by the receiver");
            }
            Incoming i = incoming.get(c.id());
            if (i != null && !i.status.over()) {
                i.fail(FileTransfer.Status.CANCELLED, "cancelled by the sender");
            }
        }
    }

    /** The user stops a transfer either way; the peer is told. */
    void cancel(String id) {
        Outgoing o = outgoing.get(id);
        if (o != null && !o.status.over()) {
            tellCancel(id);
            o.fail(FileTransfer.Status.CANCELLED, "cancelled");
        }
        Incoming i = incoming.get(id);
        if (i != null && !i.status.over()) {
            tellCancel(id);
            i.fail(FileTransfer.Status.CANCELLED, "cancelled");
        }
    }

    private void tellCancel(String id) {
        String cancel = PeerMessages.fileCancel(id, "cancelled");
        if (cancelDelayMillis > 0) {
            TIMER.schedule(() -> call.run(() -> call.send(cancel)), cancelDelayMillis, TimeUnit.MILLISECONDS);
        } else {
            call.send(cancel);
        }
    }

    /**
     * This side's sender hears of its channel draining and of the receiver's reports this much later (a test plays
     * slow native callbacks: the receiver's verdict then overtakes them).
     */
    void lagSender(long millis) {
        senderLagMillis = millis;
    }

    /** A user's cancel reaches the peer this much after the transfer's channel closes (a test plays the network). */
    void delayCancels(long millis) {
        cancelDelayMillis = millis;
    }

    /**
     * The call is over (its connection and channels are closed and freed already: they are not touched): every
     * transfer still going stops, and no part file stays behind.
     */
    void end() {
        ended = true;
        for (Outgoing o : outgoing.values()) {
            o.channel = null;
            if (!o.status.over()) {
                o.fail(FileTransfer.Status.CANCELLED, "the call ended");
            }
        }
        for (Incoming i : incoming.values()) {
            i.channel = null;
            if (!i.status.over()) {
                i.fail(FileTransfer.Status.CANCELLED, "the call ended");
            }
        }
    }

    /** Runs {@code task} on the call's thread once a peer's cancel sent with a channel's close has had time to come. */
    private void afterPeerWord(Runnable task) {
        TIMER.schedule(() -> call.run(task), PEER_WORD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static double since(long startNanos) {
        return startNanos == 0 ? 0 : (System.nanoTime() - startNanos) / 1e9;
    }

    /** A file we send. */
    private final class Outgoing {
        final String id;
        final Path path;
        final String name;
        final long size;
        final String mime;
        String sha256;
        FileTransfer.Status status = FileTransfer.Status.OFFERED;
        String reason;
        FileChannel in;
        RTCDataChannel channel;
        long read; // bytes read and handed to the channel
        long sent; // of those, bytes the channel has sent on
        long window; // 0: a receiver that does not report what it wrote
        long acked; // the receiver's last report of bytes written
        long startNanos;
        long publishedNanos;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        final Hop pumpSoon = new Hop(this::pump);
        final AtomicLong latestReport = new AtomicLong();
        final Hop lookAtReport = new Hop(() -> written(latestReport.get()));
        long publishedBytes = -1;
        boolean closeSeen; // the channel closed early; the peer's word may still be on its way
        boolean onLink; // the bytes move on a file link
        boolean overTcp; // that link goes over TCP
        /** The channel's state may have changed since the pump last asked (a native thread sets it). */
        volatile boolean stateChanged = true;
        /** The pump waits for the channel's buffer to drain, not for the receiver's report (the call's thread sets it). */
        volatile boolean drainWanted;

        Outgoing(String id, Path path, String name, long size, String mime) {
            this.id = id;
            this.path = path;
            this.name = name;
            this.size = size;
            this.mime = mime;
        }

        /** From a native callback: pump once on the call's thread (however many callbacks came meanwhile). */
        void wake() {
            soon(pumpSoon);
        }

        private void soon(Hop hop) {
            if (senderLagMillis > 0) {
                TIMER.schedule(hop::request, senderLagMillis, TimeUnit.MILLISECONDS);
            } else {
                hop.request();
            }
        }

        void pump() {
            if (status != FileTransfer.Status.MOVING && status != FileTransfer.Status.CHECKING || channel == null) {
                return; // over, or its channel not opened yet
            }
            boolean draining = sent < read; // handed to the channel, maybe not sent on yet
            if (read < size
                    && held()
                    && !stateChanged
                    && !(draining && (drainWanted || System.nanoTime() - publishedNanos > PUBLISH_NANOS))) {
                // Held back by the window, with nothing to send and nothing due: the receiver's next report wakes
                // it. Each question to the channel is a blocking hop onto libwebrtc's network thread; asking on
                // every wake-up took it 1,600 times a second at 35 MB/s, and the sender's network thread was
                // preempted 2,500 times a second.
                return;
            }
            stateChanged = false;
            RTCDataChannelState state = channel.getState();
            if (state == RTCDataChannelState.CLOSING || state == RTCDataChannelState.CLOSED) {
                if ((sent < size || status == FileTransfer.Status.MOVING) && !closeSeen) {
                    closeSeen = true;
                    afterPeerWord(() -> {
                        if (!status.over()) {
                            fail(FileTransfer.Status.FAILED, "the transfer's channel closed");
                        }
                    });
                }
                return;
            }
            if (state != RTCDataChannelState.OPEN) {
                return; // it tells us when it opens
            }
            try {
                long buffered = channel.getBufferedAmount();
                while (read < size && buffered < HIGH_WATER && !held()) {
                    buffer.clear();
                    buffer.limit((int) Math.min(CHUNK, size - read));
                    while (buffer.hasRemaining()) {
                        if (in.read(buffer, read + buffer.position()) < 0) {
                            throw new IOException("the file got shorter while being sent");
                        }
                    }
                    buffer.flip();
                    int n = buffer.remaining();
                    // webrtc-java 0.14.0 sends a direct buffer's whole capacity from its start, whatever its
                    // position and limit: the last, shorter piece needs a buffer of its own size.
                    ByteBuffer piece = n == CHUNK
                            ? buffer
                            : ByteBuffer.allocateDirect(n).put(buffer).flip();
                    channel.send(new RTCDataChannelBuffer(piece, true));
                    read += n;
                    buffered += n;
                }
                sent = read - channel.getBufferedAmount();
                // Stopped by the channel's buffer (a receiver without reports), or all read and the last bytes
                // leaving: look again soon (libwebrtc's drain callbacks alone once stalled a transfer at 4 MiB).
                drainWanted = (read < size && !held()) || (read == size && sent < read);
                if (drainWanted) {
                    TIMER.schedule(pumpSoon::request, RETRY_MILLIS + senderLagMillis, TimeUnit.MILLISECONDS);
                } else if (sent < read) {
                    // held back by the window: the report wakes it; a look now and then keeps the progress true
                    TIMER.schedule(
                            pumpSoon::request, PUBLISH_NANOS / 1_000_000 + senderLagMillis, TimeUnit.MILLISECONDS);
                } // held back by the window, all sent: the receiver's next report wakes it
            } catch (Exception e) {
                call.send(PeerMessages.fileCancel(id, "the sender failed"));
                fail(FileTransfer.Status.FAILED, "sending failed: " + e.getMessage());
                return;
            }
            if (read == size && status == FileTransfer.Status.MOVING && sent == size) {
                status = FileTransfer.Status.CHECKING;
                publish();
            } else if (System.nanoTime() - publishedNanos > PUBLISH_NANOS
                    || held() && sent == read && publishedBytes != sent) {
                publish(); // now and then, and when held back with all sent (nothing wakes it until a report)
            }
        }

        /** A report off the channel (a native thread): the newest is looked at once on the call's thread. */
        void report(long written) {
            latestReport.set(written);
            soon(lookAtReport);
        }

        /** Whether the next piece would put more than the receiver's window on its way. */
        boolean held() {
            return window > 0 && read - acked + Math.min(CHUNK, size - read) > window;
        }

        /** The receiver's report of what it has written (the call's thread). */
        void written(long bytes) {
            if (status != FileTransfer.Status.MOVING && status != FileTransfer.Status.CHECKING) {
                return;
            }
            if (bytes < acked || bytes > read) {
                log.debug("Call {}: ignored a report of {} bytes written ({} sent)", callId, bytes, read);
                return; // backwards, or more than we sent: a confused or hostile receiver
            }
            acked = bytes;
            pump();
        }

        void fail(FileTransfer.Status how, String why) {
            status = how;
            reason = why;
            close();
            publish();
            log.info("Call {}: sending {} {}: {}", callId, name, how.name().toLowerCase(java.util.Locale.ROOT), why);
        }

        void close() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException e) {
                    log.debug("Closing {}: {}", path, e.toString());
                }
            }
            if (channel != null) {
                channel.close(); // freed with the call's channels (after the connection closes)
            }
        }

        void publish() {
            publishedNanos = System.nanoTime();
            publishedBytes = sent;
            call.publish(snapshot());
        }

        FileTransfer snapshot() {
            return new FileTransfer(
                    id, true, name, size, mime, status, sent, since(startNanos), null, reason, onLink, overTcp);
        }
    }

    /**
     * A file the peer sends. Its status, channel and counts belong to the call's thread; its {@link IncomingFile}
     * is written in order by {@link #disk}, which reports back to the call's thread.
     */
    private final class Incoming {
        final PeerMessages.FileOffer offer;
        final SerialExecutor disk = new SerialExecutor(diskThreads); // this file's writes, in order
        /** Bytes handed to the disk, not yet written; a message counts as at least 1 KiB (native adds, disk takes). */
        final AtomicLong unwritten = new AtomicLong();
        /** Bytes off the channel so far (the native thread's). */
        final AtomicLong arrivedBytes = new AtomicLong();
        /** Bytes on disk so far (the disk's), looked at by the call's thread. */
        final AtomicLong onDisk = new AtomicLong();

        final Hop lookAtDisk = new Hop(() -> wrote(onDisk.get()));
        /**
         * The buffers full pieces arrive in, written and used again. A disk keeping up holds a few at a time; one
         * falling behind gets more, which are left to the collector when it catches up (up to the window each).
         */
        final Pieces pieces = new Pieces(CHUNK, 8);

        FileTransfer.Status status = FileTransfer.Status.OFFERED;
        volatile boolean stopped; // the disk skips what is still queued
        String reason;
        IncomingFile file;
        RTCDataChannel channel;
        Path saved;
        long written;
        long reported;
        boolean closeSeen; // the channel closed early; the peer's word may still be on its way
        boolean onLink; // the bytes come on a file link
        boolean overTcp; // that link goes over TCP
        long startNanos;
        long publishedNanos;

        Incoming(PeerMessages.FileOffer offer) {
            this.offer = offer;
        }

        /** Bytes off the channel (a native thread): to the disk, unless the sender ignores the window. */
        void arrived(ByteBuffer bytes) {
            int length = bytes.remaining();
            if (length == 0 || stopped) {
                return;
            }
            arrivedBytes.addAndGet(length);
            long charge = Math.max(length, 1024); // a flood of tiny messages costs what it costs
            if (unwritten.addAndGet(charge) > WINDOW + CHUNK && offer.windowed()) {
                stopped = true;
                call.run(() -> refuse("the sender sent more than " + WINDOW + " bytes ahead of the disk"));
                return;
            }
            disk.execute(() -> {
                if (stopped) {
                    return;
                }
                try {
                    file.write(bytes);
                    pieces.give(bytes);
                    unwritten.addAndGet(-charge);
                    onDisk.addAndGet(length);
                    lookAtDisk.request(); // one look on the call's thread for many writes
                } catch (IncomingFile.FailedException | RuntimeException e) {
                    stopped = true;
                    String why = e instanceof IncomingFile.FailedException ? e.getMessage() : "writing failed: " + e;
                    call.run(() -> refuse(why));
                }
            });
        }

        /** The disk has written {@code total} bytes so far (the call's thread). */
        void wrote(long total) {
            if (status != FileTransfer.Status.MOVING || total <= written) {
                return;
            }
            written = total;
            if (written - reported >= REPORT_EVERY || written == offer.size()) {
                report();
            }
            if (written == offer.size()) {
                complete();
            } else if (System.nanoTime() - publishedNanos > 200_000_000L) {
                publish();
            }
        }

        /** Tells the sender how much is written, on the transfer's channel: it may send on. */
        private void report() {
            reported = written;
            if (channel == null || channel.getState() != RTCDataChannelState.OPEN) {
                return;
            }
            try {
                // The whole capacity is sent (see Outgoing.pump): exactly 8 bytes.
                ByteBuffer b =
                        ByteBuffer.allocateDirect(Long.BYTES).putLong(written).flip();
                channel.send(new RTCDataChannelBuffer(b, true));
            } catch (Exception e) {
                log.debug("Call {}: reporting progress on {} failed: {}", callId, offer.id(), e.toString());
            }
        }

        /** Every byte is written: the disk checks the hash and names the file (it may take a while). */
        void complete() {
            pieces.close();
            status = FileTransfer.Status.CHECKING;
            publish();
            disk.execute(() -> {
                try {
                    Path done = file.finish();
                    if (stopped) { // cancelled or the call ended while it was checked: it goes, here and now
                        Files.deleteIfExists(done);
                        return;
                    }
                    call.run(() -> saved(done));
                } catch (IncomingFile.FailedException | IOException | RuntimeException e) {
                    String why = e instanceof IncomingFile.FailedException ? e.getMessage() : "saving failed: " + e;
                    call.run(() -> refuse(why));
                }
            });
        }

        private void saved(Path done) {
            if (status != FileTransfer.Status.CHECKING) {
                // Cancelled while the disk checked it: the name it had just been given goes too.
                try {
                    Files.deleteIfExists(done);
                } catch (IOException e) {
                    log.warn("Call {}: cannot delete the cancelled {}: {}", callId, done, e.toString());
                }
                return;
            }
            saved = done;
            status = FileTransfer.Status.DONE;
            call.send(PeerMessages.fileReceived(offer.id(), true, null));
            if (channel != null) {
                channel.close();
            }
            publish();
            log.info("Call {}: received {} ({} bytes)", callId, saved.getFileName(), offer.size());
        }

        void channelState() {
            if (status == FileTransfer.Status.MOVING
                    && channel != null
                    && (channel.getState() == RTCDataChannelState.CLOSED
                            || channel.getState() == RTCDataChannelState.CLOSING)) {
                if (arrivedBytes.get() < offer.size() && !closeSeen) {
                    closeSeen = true;
                    afterPeerWord(() -> {
                        long got = arrivedBytes.get(); // the disk may still be writing what did arrive
                        if (status == FileTransfer.Status.MOVING && got < offer.size()) {
                            refuse("the sender stopped after " + got + " of " + offer.size() + " bytes");
                        }
                    });
                }
            }
        }

        /** The bytes are wrong or stopped: the part file goes and the sender is told why. */
        void refuse(String why) {
            if (status.over()) {
                return; // said once
            }
            call.send(PeerMessages.fileReceived(offer.id(), false, why));
            fail(FileTransfer.Status.FAILED, why);
        }

        void fail(FileTransfer.Status how, String why) {
            status = how;
            reason = why;
            stopped = true;
            pieces.close();
            if (file != null) {
                file.cancel(); // never waits for the disk; the part file is gone when the failure is published
            }
            if (channel != null) {
                channel.close();
            }
            publish();
            log.info(
                    "Call {}: receiving {} {}: {}",
                    callId,
                    offer.id(),
                    how.name().toLowerCase(java.util.Locale.ROOT),
                    why);
        }

        void publish() {
            publishedNanos = System.nanoTime();
            call.publish(new FileTransfer(
                    offer.id(),
                    false,
                    saved != null ? saved.getFileName().toString() : FileNames.safe(offer.name()),
                    offer.size(),
                    offer.mime(),
                    status,
                    file == null ? 0 : status == FileTransfer.Status.DONE ? offer.size() : written,
                    since(startNanos),
                    saved,
                    reason,
                    onLink,
                    overTcp));
        }
    }

    /**
     * A task for the call's thread asked for from other threads (native callbacks, the disk): however often it is
     * asked for meanwhile, it is queued once and runs once, reading the newest state when it runs.
     */
    private final class Hop {
        private final Runnable task;
        private final AtomicBoolean queued = new AtomicBoolean();

        Hop(Runnable task) {
            this.task = task;
        }

        void request() {
            if (queued.compareAndSet(false, true)) {
                call.run(() -> {
                    queued.set(false);
                    task.run();
                });
            }
        }
    }
}
