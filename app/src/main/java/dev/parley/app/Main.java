package dev.parley.app;

import dev.parley.ui.FxToolkit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code parley} command: the one entry point of the application. */
@Command(
        name = "parley",
        mixinStandardHelpOptions = true,
        version = "Parley 0.1.0",
        description = "Parley: desktop video calls over WebRTC.",
        subcommands = {
            ServerCommand.class,
            CallCommand.class,
            AnswerCommand.class,
            InviteCommand.class,
            LinkCommand.class,
            BenchCommand.class,
            PackageCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        useGtk3();
        if (args.length == 0) {
            // The desktop app (or a hand-over to the one running); the window's close ends the process.
            CompletableFuture<Void> toolkit = FxToolkit.start(); // first of all: the window needs it most
            DesktopLauncher.launch(toolkit, List.of());
            return;
        }
        if (args.length == 1 && args[0].startsWith("parley:")) {
            // A parley: link (the desktop entry's URL handler): the app asks whether to call whoever it names.
            if (CallLink.user(args[0]) == null) {
                System.err.println("parley: not a call link: " + args[0] + " (expected parley:call/NAME)");
            }
            DesktopLauncher.launch(FxToolkit.start(), List.of(args[0]));
            return;
        }
        System.exit(run(args));
    }

    /**
     * GTK 3 for AWT, as JavaFX uses: on a Wayland desktop AWT's {@code Robot} captures the screen through the
     * desktop's screen-cast portal only with GTK 3 loaded (JDK 17 picks GTK 2 when it finds it, and then silently
     * captures XWayland's black root window instead); one GTK in the process is also what JavaFX needs. Set before
     * AWT or JavaFX starts; a {@code -Djdk.gtk.version} given on the command line wins.
     */
    static void useGtk3() {
        if (System.getProperty("jdk.gtk.version") == null) {
            System.setProperty("jdk.gtk.version", "3");
        }
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // One line for the user; the stack trace only at debug level.
            org.slf4j.LoggerFactory.getLogger(Main.class).debug("Command failed", e);
            commandLine.getErr().println("parley: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        // Reached through run() only (tests, scripts): main() opens the desktop app when there are no arguments.
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
