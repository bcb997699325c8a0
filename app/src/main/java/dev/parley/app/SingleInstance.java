package dev.parley.app;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One desktop app per config directory (per user): the first launch holds a lock and listens on a Unix domain
 * socket; a later launch hands its arguments (a {@code parley:} link, or none) to it and exits, so it never opens a
 * second window or signs in with the same device id (which would replace the running app's connection).
 *
 * <p>Both live in {@code run/} in the config directory, a directory only its owner may enter (0700), so other users
 * cannot connect. What arrives is still treated as anyone's input: at most {@value #MAX_BYTES} bytes of UTF-8, at
 * most {@value #MAX_ARGUMENTS} arguments (NUL-separated), within {@link #READ_LIMIT}; the app parses it with
 * {@link CallLink}. The answer is {@code ok} once taken.
 *
 * <p>The lock (an OS file lock, let go when the process dies) decides who runs, not the socket: a socket left
 * behind by a crash is removed by the next app to hold the lock.
 */
final class SingleInstance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SingleInstance.class);
    static final int MAX_BYTES = 4096;
    static final int MAX_ARGUMENTS = 8;
    static final Duration READ_LIMIT = Duration.ofSeconds(2);
    private static final byte[] OK = "ok\n".getBytes(StandardCharsets.US_ASCII);
    /** Linux's sun_path holds 108 bytes with the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private final FileChannel lockFile;
    private final FileLock lock;
    private final Path socket;
    private ServerSocketChannel server; // once listening
    private Thread listener;
    private volatile boolean closed;

    private SingleInstance(FileChannel lockFile, FileLock lock, Path socket) {
        this.lockFile = lockFile;
        this.lock = lock;
        this.socket = socket;
    }

    /** The directory the lock and socket live in: {@code config/run}, owner only. */
    static Path runDirectory(Path config) {
        return config.resolve("run");
    }

    /**
     * Becomes the one running app for {@code config}; null if another app holds it (then {@link #handOver}).
     *
     * @throws IOException the lock or its directory cannot be made (then there is no single-instance guard)
     */
    static SingleInstance claim(Path config) throws IOException {
        Path run = ownerOnlyDirectory(runDirectory(config));
        FileChannel file =
                FileChannel.open(run.resolve("instance.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = file.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        } catch (IOException e) {
            file.close();
            throw e;
        }
        if (lock == null) {
            file.close();
            return null;
        }
        return new SingleInstance(file, lock, socketPath(run));
    }

    /**
     * Starts taking later launches' arguments, each handed to {@code onLaunch} on this instance's thread
     * ({@code parley-instance}); a bad request is refused and logged, never handed on.
     */
    synchronized void listen(Consumer<List<String>> onLaunch) throws IOException {
        if (server != null || closed) {
            throw new IllegalStateException(closed ? "closed" : "already listening");
        }
        Files.deleteIfExists(socket); // left by an app that died: we hold the lock now
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        if (posix()) {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        }
        ServerSocketChannel channel = server;
        listener = new Thread(() -> acceptLoop(channel, onLaunch), "parley-instance");
        listener.setDaemon(true);
        listener.start();
    }

    private void acceptLoop(ServerSocketChannel channel, Consumer<List<String>> onLaunch) {
        while (!closed) {
            try (SocketChannel peer = channel.accept()) {
                List<String> args;
                try {
                    args = decode(readAll(peer, MAX_BYTES, READ_LIMIT));
                } catch (IOException bad) {
                    log.warn("Refused a hand-over from another launch: {}", bad.getMessage());
                    continue;
                }
                log.info("Launched again ({} argument(s)): handing over to this window", args.size());
                try {
                    onLaunch.accept(args);
                } catch (RuntimeException e) { // a bad request must not stop the next one
                    log.warn("A hand-over failed: {}", e.toString());
                    continue;
                }
                write(peer, OK);
            } catch (ClosedChannelException stopped) { // closed, or closed while waiting
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                log.warn("A hand-over from another launch failed: {}", e.toString());
            }
        }
    }

    /**
     * Hands {@code args} to the running app (retrying while it is starting to listen); true once it answered that
     * it took them, false if it did not answer within {@code timeout}.
     */
    static boolean handOver(Path config, List<String> args, Duration timeout) {
        Path socket = socketPath(runDirectory(config));
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] request = encode(args);
        while (true) {
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                write(channel, request);
                channel.shutdownOutput();
                long left = Math.max(1, deadline - System.nanoTime());
                byte[] answer = readAll(channel, 64, Duration.ofNanos(left));
                return Arrays.equals(answer, OK);
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    log.debug("No answer from the running app: {}", notYet.toString());
                    return false;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Arguments as sent: UTF-8, NUL between them (no argument can hold a NUL). */
    static byte[] encode(List<String> args) {
        byte[] bytes = String.join("\0", args).getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES || args.size() > MAX_ARGUMENTS) {
            throw new IllegalArgumentException("too many arguments to hand over");
        }
        return bytes;
    }

    /** The arguments in a request; refuses what a launch would never send. */
    static List<String> decode(byte[] request) throws IOException {
        if (request.length == 0) {
            return List.of();
        }
        CharBuffer text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(request));
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8");
        }
        List<String> args = List.of(text.toString().split("\0", -1));
        if (args.size() > MAX_ARGUMENTS) {
            throw new IOException(args.size() + " arguments");
        }
        return args;
    }

    /**
     * Reads until the other side has finished sending, at most {@code max} bytes and for at most {@code limit}: a
     * peer that sends more, or stalls, is refused.
     */
    static byte[] readAll(SocketChannel channel, int max, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        ByteBuffer buffer = ByteBuffer.allocate(max + 1);
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                if (!buffer.hasRemaining()) {
                    throw new IOException("more than " + max + " bytes");
                }
                if (n == 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IOException("nothing complete within " + limit.toMillis() + " ms");
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                }
            }
        }
        channel.configureBlocking(true); // the selector is closed: its key is gone
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private static void write(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            channel.write(out); // small: fits the socket's buffer at once
        }
    }

    /**
     * {@code run/instance.sock}; where that path is too long for a Unix socket, a short name in
     * {@code $XDG_RUNTIME_DIR} (owner only by its specification) named after the config directory.
     */
    private static Path socketPath(Path run) {
        Path socket = run.resolve("instance.sock").toAbsolutePath();
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
            return socket;
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && Path.of(runtime).isAbsolute()) {
            return Path.of(
                    runtime,
                    "parley-"
                            + Integer.toHexString(
                                    run.toAbsolutePath().toString().hashCode()) + ".sock");
        }
        return socket; // binding will fail and say why; the app then runs without the guard
    }

    private static Path ownerOnlyDirectory(Path dir) throws IOException {
        if (!posix()) {
            return Files.createDirectories(dir);
        }
        var ownerOnly = PosixFilePermissions.fromString("rwx------");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(ownerOnly));
            } catch (FileAlreadyExistsException raced) {
                // another launch made it: its mode is set below
            }
        }
        Files.setPosixFilePermissions(dir, ownerOnly); // also tightens a directory made otherwise
        return dir;
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Stops listening and lets the next launch be the running app. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (server != null) {
                server.close(); // ends the accept loop
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            log.debug("Closing the instance socket: {}", e.toString());
        }
        try {
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            log.debug("Releasing the instance lock: {}", e.toString());
        }
    }
}
