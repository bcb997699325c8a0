package dev.parley.app;

import dev.parley.testsupport.ChildProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts {@code parley ARGS} in a fresh JVM on the test class path, as a user would run it. */
final class ParleyProcess {
    private ParleyProcess() {}

    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(ChildProcess.java(Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Output in {@code dir/NAME.out} and {@code dir/NAME.err}. */
    static ChildProcess start(Path dir, String name, Map<String, String> env, String... args) {
        return ChildProcess.start(dir, name, command(args), env);
    }

    static ChildProcess start(Path dir, String name, String... args) {
        return start(dir, name, Map.of(), args);
    }
}
