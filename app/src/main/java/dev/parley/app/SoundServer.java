package dev.parley.app;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    /** The null sink's name: its monitor, {@code speaker.monitor}, is what was played. */
    static final String SPEAKER = "speaker";

    private final Path dir;
    private final Process daemon;
    private volatile Process voice; // pacat playing the tone into the microphone's sink
    private volatile boolean closed;

    private SoundServer(Path dir, Process daemon) {
        this.dir = dir;
        this.daemon = daemon;
    }

    /** Whether Debian's {@code pulseaudio} is installed here. */
    static boolean available() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "pulseaudio"))) {
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
        Path socket = dir.resolve("native");
        Files.deleteIfExists(socket);
        Path script = dir.resolve("parley.pa");
        Files.writeString(
                script,
                String.format(
                        Locale.ROOT,
                        "load-module module-native-protocol-unix socket=%s auth-anonymous=1%n"
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
        env.put("XDG_RUNTIME_DIR", dir.toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.remove("PULSE_SERVER");
        SoundServer server = new SoundServer(dir, b.start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!server.answers()) {
            if (!server.daemon.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IOException("PulseAudio did not start in " + dir + ": " + tail(log));
            }
            Thread.sleep(50);
        }
        try {
            server.speak(toneHz);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return server;
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
        return Map.of("PULSE_SERVER", "unix:" + dir.resolve("native"));
    }

    /** Whether the server takes a client's question now. */
    private boolean answers() throws IOException, InterruptedException {
        if (!Files.exists(dir.resolve("native"))) {
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
        int wanted = (int) (seconds * 48_000) * 2;
        byte[] pcm = p.getInputStream().readNBytes(wanted);
        p.destroy();
        p.waitFor(5, TimeUnit.SECONDS);
        return pcm;
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
    public void close() throws InterruptedException {
        closed = true;
        Process v = voice;
        if (v != null) {
            v.destroy();
            v.waitFor(5, TimeUnit.SECONDS);
        }
        daemon.destroy();
        if (!daemon.waitFor(5, TimeUnit.SECONDS)) {
            daemon.destroyForcibly();
            daemon.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
