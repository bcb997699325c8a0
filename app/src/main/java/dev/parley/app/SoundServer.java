package dev.parley.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PulseAudio server with a virtual microphone and a virtual speaker, for one Parley process that should
 * use a real sound system on a machine that has none: {@code bench call --audio pulse} and the real audio path's
 * test. The microphone is the monitor of a null sink that {@code pacat} plays a steady tone into (of the given
 * pitch, so the peer can tell whose voice it hears; PulseAudio's own sine source was measured delivering its tone
 * in 2-second bursts, which no microphone does); the speaker is a null sink whose monitor records what Parley
 * played. Both sinks run on the server's timer, in 10 ms steps at most, as a sound card would. It listens only on a Unix
 * socket in its own directory (no network, anonymous access on that socket alone); a process reaches it through
 * {@link #environment()}. Debian's {@code pulseaudio} package; root is warned about, not refused.
 */
final class SoundServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SoundServer.class);
    /** The null sink's name: its monitor, {@code speaker.monitor}, is what was played. */
    static final String SPEAKER = "speaker";

    private final Path dir;
    private final Path runtime; // the socket's short directory (a Unix socket path has at most 107 bytes)
    private final Process daemon;
    private volatile Process voice; // pacat playing the tone into the microphone's sink
    private volatile boolean closed;

    private SoundServer(Path dir, Path runtime, Process daemon) {
        this.dir = dir;
        this.runtime = runtime;
        this.daemon = daemon;
    }

    /** Whether Debian's {@code pulseaudio} and its tools ({@code pulseaudio-utils}) are installed here. */
    static boolean available() {
        return onPath("pulseaudio") && onPath("pactl") && onPath("pacat") && onPath("parec");
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts a server in {@code dir} (made if missing) whose microphone plays a tone of {@code toneHz}; returns once
     * its socket answers, or throws after 15 s with the server's log.
     */
    static SoundServer start(Path dir, int toneHz) throws IOException, InterruptedException {
        if (toneHz < 20 || toneHz > 20_000) {
            throw new IllegalArgumentException("a tone between 20 Hz and 20 kHz, not " + toneHz);
        }
        Files.createDirectories(dir);
        Path runtime = Files.createTempDirectory("parley-pulse");
        Path socket = runtime.resolve("native");
        Path script = dir.resolve("parley.pa");
        Files.writeString(
                script,
                String.format(
                        Locale.ROOT,
                        "load-module module-native-protocol-unix socket=\"%s\" auth-anonymous=1%n"
                                + "load-module module-null-sink sink_name=%s rate=48000%n"
                                + "load-module module-null-sink sink_name=voice rate=48000%n"
                                // a source of its own over the monitor: listed as a microphone, as a monitor is not
                                + "load-module module-remap-source source_name=microphone master=voice.monitor%n"
                                + "set-default-sink %s%n"
                                + "set-default-source microphone%n",
                        socket,
                        SPEAKER,
                        SPEAKER),
                StandardCharsets.UTF_8);
        Path log = dir.resolve("pulseaudio.log");
        ProcessBuilder b = new ProcessBuilder(
                        "pulseaudio",
                        "-n", // none of the system's default.pa: only the modules above
                        "-F",
                        script.toString(),
                        "--daemonize=no",
                        "--exit-idle-time=-1",
                        "--disallow-exit",
                        "--disallow-module-loading",
                        "--use-pid-file=no",
                        "--log-target=stderr")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = b.environment();
        env.put("HOME", dir.toString()); // its cookie and state, here and not in the user's home
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.remove("PULSE_SERVER");
        // A private server needs no session bus. Where dbus-x11 is installed, libdbus would start one on the X
        // display, and the second private server would find the first's name (org.PulseAudio1) taken and stop.
        env.put("DBUS_SESSION_BUS_ADDRESS", "disabled:");
        env.remove("DISPLAY");
        SoundServer server = new SoundServer(dir, runtime, b.start());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!server.answers()) {
                if (!server.daemon.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("PulseAudio did not start in " + dir + ": " + tail(log));
                }
                Thread.sleep(50);
            }
            server.speak(toneHz);
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close(); // a server nobody holds would run for ever (--disallow-exit)
            throw e;
        }
    }

    /** Plays a steady tone into the microphone's sink, paced by the server's clock (pacat blocks when ahead). */
    private void speak(int toneHz) throws IOException {
        ProcessBuilder b = new ProcessBuilder(
                        "pacat",
                        "--playback",
                        "--raw",
                        "--format=s16le",
                        "--channels=1",
                        "--rate=48000",
                        "--latency-msec=20",
                        "-d",
                        "voice")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        b.environment().putAll(environment());
        Process p = b.start();
        voice = p;
        byte[] second = new byte[48_000 * 2]; // one second holds whole cycles of an integral pitch
        for (int i = 0; i < 48_000; i++) {
            short v = (short) (8192 * Math.sin(2 * Math.PI * toneHz * i / 48_000));
            second[2 * i] = (byte) v;
            second[2 * i + 1] = (byte) (v >> 8);
        }
        Thread writer = new Thread(
                () -> {
                    try (OutputStream out = p.getOutputStream()) {
                        while (!closed) {
                            out.write(second);
                        }
                    } catch (IOException e) {
                        // pacat went away: closed, or the server did
                    }
                },
                "parley-sound-voice");
        writer.setDaemon(true);
        writer.start();
    }

    /** The variables that make a process's PulseAudio client (webrtc-java's audio module, parec) use this server. */
    Map<String, String> environment() {
        return Map.of("PULSE_SERVER", "unix:" + runtime.resolve("native"));
    }

    /** Whether the server takes a client's question now. */
    private boolean answers() throws IOException, InterruptedException {
        if (!Files.exists(runtime.resolve("native"))) {
            return false;
        }
        ProcessBuilder b = new ProcessBuilder("pactl", "info")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        b.environment().putAll(environment());
        Process p = b.start();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    /**
     * Records {@code seconds} of what this server's speaker played, as 48 kHz mono 16-bit little-endian PCM
     * (Debian's {@code parec}, from the null sink's monitor).
     */
    byte[] recordSpeaker(double seconds) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(
                        "parec",
                        "--raw",
                        "--format=s16le",
                        "--channels=1",
                        "--rate=48000",
                        "--latency-msec=20",
                        "-d",
                        SPEAKER + ".monitor")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        b.environment().putAll(environment());
        Process p = b.start();
        // A server that stops sending would block the read for ever: kill parec a while after the time is up.
        Thread watchdog = new Thread(
                () -> {
                    try {
                        if (!p.waitFor((long) (seconds * 1000) + 10_000, TimeUnit.MILLISECONDS)) {
                            p.destroyForcibly();
                        }
                    } catch (InterruptedException e) {
                        p.destroyForcibly();
                    }
                },
                "parley-parec-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            int wanted = (int) (seconds * 48_000) * 2;
            return p.getInputStream().readNBytes(wanted);
        } finally {
            stop(p);
            watchdog.interrupt();
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.length() > 600 ? "…" + text.substring(text.length() - 600) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        closed = true;
        Process v = voice;
        if (v != null) {
            stop(v);
        }
        stop(daemon);
        try (var left = Files.list(runtime)) {
            for (Path p : left.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(runtime);
        } catch (IOException e) {
            log.debug("Left the sound server's socket directory {}: {}", runtime, e.toString());
        }
    }

    /** Ends a process, by force if it does not go within 5 s; an interrupt still kills it and is kept. */
    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
