package dev.parley.app;

import dev.parley.testsupport.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Parley processes a test starts ({@link ParleyProcess}), each stopped after the test, pass or fail. Register
 * it as a field: {@code @RegisterExtension final ParleyChildren children = new ParleyChildren();}.
 */
final class ParleyChildren implements AfterEachCallback {
    private final List<ChildProcess> started = new ArrayList<>();

    /** {@code parley ARGS} with output in {@code dir/NAME.out} and {@code dir/NAME.err}. */
    ChildProcess start(Path dir, String name, Map<String, String> env, String... args) {
        ChildProcess p = ParleyProcess.start(dir, name, env, args);
        started.add(p);
        return p;
    }

    ChildProcess start(Path dir, String name, String... args) {
        return start(dir, name, Map.of(), args);
    }

    /**
     * {@code parley answer --server URL --user USER --json EXTRA…} (output as {@code dir/answer.*}), returned once
     * it is signed in and listening.
     */
    ChildProcess answering(Path dir, String url, String user, String... extra) {
        List<String> args = new ArrayList<>(List.of("answer", "--server", url, "--user", user, "--json"));
        args.addAll(List.of(extra));
        ChildProcess p = start(dir, "answer", args.toArray(String[]::new));
        p.awaitErrorLine(
                l -> l.contains("answering calls for " + user),
                Duration.ofSeconds(30),
                "'answering calls for " + user + "'");
        return p;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(ChildProcess::close);
        started.clear();
    }
}
