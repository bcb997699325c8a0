package dev.parley.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code parley bench}: benchmarks that print numbers. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that print numbers.",
        subcommands = {
            SignalingBench.class,
            CallBench.class,
            FileBench.class,
            RenderBenchCommand.class,
            StartBench.class,
            CommandLine.HelpCommand.class
        })
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
