package dev.parley.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code parley ARGS} in a fresh JVM on the test class path, as a user would run it. */
final class ParleyProcess {
    private ParleyProcess() {
    }

    static ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    static Process start(String... args) throws IOException {
        return builder(args).start();
    }
}
