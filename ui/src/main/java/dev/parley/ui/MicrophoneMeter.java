package dev.parley.ui;

import java.util.function.DoubleConsumer;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the microphone's level for the settings, through Java Sound: reads 16 kHz mono from the microphone on
 * its own thread and reports the level (0..1, RMS in dBFS mapped from -60..0) ten times a second. Prefers a Java
 * Sound mixer whose name contains the chosen device's name; without any capture line it reports that once.
 */
final class MicrophoneMeter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MicrophoneMeter.class);
    private volatile boolean running = true;
    private final Thread thread;

    /** @param level called on the meter's thread with each level; {@code unavailable} once if there is no line */
    MicrophoneMeter(String deviceName, DoubleConsumer level, Runnable unavailable) {
        thread = new Thread(() -> run(deviceName, level, unavailable), "parley-mic-meter");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(String deviceName, DoubleConsumer level, Runnable unavailable) {
        AudioFormat format = new AudioFormat(16_000, 16, 1, true, false);
        DataLine.Info info = new DataLine.Info(TargetDataLine.class, format);
        try (TargetDataLine line = open(deviceName, info)) {
            line.open(format, 3200);
            line.start();
            byte[] chunk = new byte[3200]; // 100 ms
            while (running) {
                int n = line.read(chunk, 0, chunk.length);
                double sum = 0;
                for (int i = 0; i + 1 < n; i += 2) {
                    double v = (short) ((chunk[i + 1] << 8) | (chunk[i] & 0xff)) / 32768.0;
                    sum += v * v;
                }
                double rms = Math.sqrt(sum / Math.max(1, n / 2));
                double db = rms <= 0 ? -60 : 20 * Math.log10(rms);
                level.accept(Math.max(0, Math.min(1, (db + 60) / 60)));
            }
        } catch (Exception | LinkageError e) {
            log.info("No microphone level meter: {}", e.toString());
            unavailable.run();
        }
    }

    private static TargetDataLine open(String deviceName, DataLine.Info info) throws Exception {
        if (deviceName != null) {
            for (Mixer.Info m : AudioSystem.getMixerInfo()) {
                if (m.getName().contains(deviceName) || deviceName.contains(m.getName())) {
                    Mixer mixer = AudioSystem.getMixer(m);
                    if (mixer.isLineSupported(info)) {
                        return (TargetDataLine) mixer.getLine(info);
                    }
                }
            }
        }
        return (TargetDataLine) AudioSystem.getLine(info);
    }

    @Override
    public void close() {
        running = false;
    }
}
