package dev.parley.signaling.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code redis-server} on a free loopback port, nothing saved to disk, for the tests and the benchmark of a
 * server cluster ({@code parley bench signaling --nodes 2}; the test command installs it). {@link #stop()} and {@link #start()} again play a Redis restart on
 * the same port; {@link #close()} kills it.
 */
public final class LocalRedis implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;
    private int starts;

    private LocalRedis(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts one in {@code dir} (its log goes there). */
    public static LocalRedis start(Path dir) {
        LocalRedis redis = new LocalRedis(dir, freePort());
        redis.start();
        return redis;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** Starts it (again) on its port; returns once it takes connections. */
    public synchronized void start() {
        if (process != null) {
            throw new IllegalStateException("already running");
        }
        starts++;
        Path log = dir.resolve("redis-" + starts + ".log");
        try {
            process = new ProcessBuilder(List.of(
                            "redis-server",
                            "--bind",
                            "127.0.0.1",
                            "--port",
                            Integer.toString(port),
                            "--save",
                            "",
                            "--appendonly",
                            "no",
                            "--daemonize",
                            "no",
                            "--dir",
                            dir.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start redis-server (Debian: apt-get install redis-server): " + e.getMessage(), e);
        }
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        stop();
        throw new IllegalStateException("redis-server did not start on port " + port + " (see " + log + ")");
    }

    /** Its process id, or -1 when it is not running. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Kills it at once, as a crash would (what it held is gone: nothing is saved). */
    public synchronized void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
