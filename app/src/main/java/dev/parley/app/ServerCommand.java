package dev.parley.app;

import dev.parley.signaling.server.AccountStore;
import dev.parley.signaling.server.Authenticator;
import dev.parley.signaling.server.PasswordHasher;
import dev.parley.signaling.server.ServerConfig;
import dev.parley.signaling.server.SignalingServer;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parley server}: runs the signaling server until SIGTERM or Ctrl+C. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Run the Parley signaling server.",
            "Prints the URL it listens on as the first line on stdout; stops cleanly on SIGTERM."
        },
        subcommands = {ServerCommand.AddUser.class, ServerCommand.RemoveUser.class})
final class ServerCommand implements Callable<Integer> {

    @Option(
            names = "--bind",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String bind;

    @Option(
            names = "--port",
            description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).",
            defaultValue = "7443")
    int port;

    @Option(
            names = "--path",
            description = "WebSocket path (default: ${DEFAULT-VALUE}).",
            defaultValue = "/signal",
            hidden = true)
    String path;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(
                names = "--accounts",
                paramLabel = "FILE",
                description =
                        "Accounts file (default: ${sys:user.home}/.config/parley/accounts). Manage with 'server add-user'.")
        Path accounts;

        @Option(names = "--open", description = "Open mode: any user name, no password (LAN, embedded server).")
        boolean open;
    }

    @Option(
            names = "--tls-keystore",
            paramLabel = "FILE",
            description = "PKCS#12 or JKS keystore: serve wss:// instead of ws://.")
    Path tlsKeystore;

    @Option(
            names = "--tls-password-file",
            paramLabel = "FILE",
            description = "File holding the keystore password (or set PARLEY_TLS_PASSWORD).")
    Path tlsPasswordFile;

    @Option(
            names = "--turn-uri",
            paramLabel = "URI",
            description = "A stun: or turn: URI to hand to clients; repeat for several.")
    List<String> turnUris = new ArrayList<>();

    @ArgGroup(exclusive = true)
    TurnSecret turnSecret = new TurnSecret();

    static final class TurnSecret {
        @Option(
                names = "--turn-secret-file",
                paramLabel = "FILE",
                description = "File holding coturn's static-auth-secret, to issue time-limited TURN credentials "
                        + "(or set PARLEY_TURN_SECRET).")
        Path file;

        @Option(
                names = "--turn-secret",
                paramLabel = "SECRET",
                description = "The secret itself. Every user of this machine sees it in 'ps': "
                        + "prefer --turn-secret-file.")
        String value;
    }

    @Option(
            names = "--turn-for-everyone",
            description = "Hand TURN credentials to every signed-in client. By default, in --open mode only clients "
                    + "on this machine get them (anyone may sign in there).")
    boolean turnForEveryone;

    @Option(
            names = "--turn-ttl",
            paramLabel = "DURATION",
            defaultValue = "PT24H",
            description = "How long TURN credentials stay valid, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration turnTtl;

    @Option(
            names = "--contacts",
            paramLabel = "FILE",
            description =
                    "Where contacts are kept (with accounts: presence only between contacts; default: ~/.config/parley/server-contacts).")
    Path contactsFile;

    @Option(
            names = "--allow-origin",
            paramLabel = "URL",
            description = "A web origin (scheme://host[:port]) whose pages may connect; repeat for several. "
                    + "Without it only native clients (which send no Origin) get in.")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(
            names = "--cluster",
            paramLabel = "redis://HOST[:PORT]",
            description = "Share presence, contacts and calls with the other nodes of a cluster through this Redis "
                    + "(Redis's password, if any, from PARLEY_CLUSTER_PASSWORD; with accounts, give every node "
                    + "the same accounts file). See docs/SCALING.md.")
    URI cluster;

    @Option(
            names = "--stats-interval",
            paramLabel = "SECONDS",
            hidden = true,
            description = "Print a JSON line of server statistics to stdout this often (for benchmarks).")
    int statsInterval;

    @Override
    public Integer call() throws Exception {
        Authenticator authenticator = authenticator();
        String secret = turnSecret();
        String tlsPassword = null;
        if (tlsKeystore != null) {
            tlsPassword = tlsPasswordFile != null
                    ? Files.readString(tlsPasswordFile).strip()
                    : System.getenv("PARLEY_TLS_PASSWORD");
            if (tlsPassword == null) {
                throw new IllegalArgumentException("--tls-keystore needs --tls-password-file or PARLEY_TLS_PASSWORD");
            }
        }
        if (tlsKeystore == null && !InetAddress.getByName(bind).isLoopbackAddress()) {
            org.slf4j.LoggerFactory.getLogger(ServerCommand.class)
                    .warn(
                            "Serving plain ws:// on {}: passwords and call setup travel unencrypted. Use --tls-keystore.",
                            bind);
        }
        ServerConfig.Builder builder = ServerConfig.builder()
                .bind(bind)
                .port(port)
                .path(path)
                .authenticator(authenticator)
                .iceUris(turnUris)
                .turnSecret(secret)
                .turnTtl(turnTtl)
                .tls(tlsKeystore, tlsPassword)
                .allowedOrigins(allowedOrigins)
                .turnForEveryone(turnForEveryone);
        if (cluster != null) {
            builder.cluster(cluster, System.getenv("PARLEY_CLUSTER_PASSWORD"));
        }
        if (!mode.open) { // with accounts, presence is shared between contacts only (open mode: a LAN, everyone)
            builder.contactsOnly(
                    contactsFile != null ? contactsFile : defaultAccounts().resolveSibling("server-contacts"));
        }
        ServerConfig config = builder.build();
        SignalingServer server = SignalingServer.start(config);
        PrintStream out = System.out;
        out.println(server.uri());
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "parley-shutdown"));
        if (statsInterval > 0) {
            Thread reporter = new Thread(() -> reportStats(server, out), "parley-stats");
            reporter.setDaemon(true);
            reporter.start();
        }
        stopped.await();
        return 0;
    }

    /**
     * The TURN secret from --turn-secret-file, --turn-secret (with a warning: a command line is public on this
     * machine, /proc/PID/cmdline) or PARLEY_TURN_SECRET; null if none.
     */
    private String turnSecret() throws IOException {
        if (turnSecret.file != null) {
            String secret =
                    Files.readString(turnSecret.file, StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                throw new IllegalArgumentException(turnSecret.file + " holds no TURN secret");
            }
            return secret;
        }
        if (turnSecret.value != null) {
            org.slf4j.LoggerFactory.getLogger(ServerCommand.class)
                    .warn("--turn-secret shows the secret to every user of this machine (ps, /proc); "
                            + "use --turn-secret-file FILE or PARLEY_TURN_SECRET instead");
            return turnSecret.value;
        }
        return System.getenv("PARLEY_TURN_SECRET");
    }

    private void reportStats(SignalingServer server, PrintStream out) {
        try {
            while (true) {
                Thread.sleep(statsInterval * 1000L);
                SignalingServer.Stats s = server.stats();
                out.printf(
                        "{\"connections\":%d,\"authenticated\":%d,\"onlineUsers\":%d,\"openCalls\":%d,"
                                + "\"messagesIn\":%d,\"heapUsed\":%d}%n",
                        s.connections(),
                        s.authenticated(),
                        s.onlineUsers(),
                        s.openCalls(),
                        s.messagesIn(),
                        s.heapUsed());
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Authenticator authenticator() throws IOException {
        if (mode.open) {
            return Authenticator.open();
        }
        Path file = mode.accounts != null ? mode.accounts : defaultAccounts();
        AccountStore store = AccountStore.load(file);
        if (store.size() == 0) {
            throw new IllegalArgumentException("no accounts in " + file
                    + ": add one with 'parley server add-user NAME"
                    + (mode.accounts != null ? " --accounts " + file : "")
                    + "', or run with --open");
        }
        return store;
    }

    static Path defaultAccounts() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config =
                xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("parley").resolve("accounts");
    }

    /** Reads a password without echo from a terminal (asked twice), or one line from stdin when piped. */
    static char[] readPassword(String user) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password for %s: ", user);
            char[] second = console.readPassword("Again: ");
            if (first == null || !Arrays.equals(first, second)) {
                throw new IllegalArgumentException("the passwords do not match");
            }
            Arrays.fill(second, '\0');
            return first;
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
            throw new IllegalArgumentException("no password on stdin");
        }
        return line.toCharArray();
    }

    @Command(
            name = "add-user",
            mixinStandardHelpOptions = true,
            description = {
                "Add a user, or change their password.",
                "The password is asked twice on a terminal, or read as one line from stdin."
            })
    static final class AddUser implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "User name: lower-case letters, digits, '.', '_', '-'.")
        String name;

        @Option(
                names = "--accounts",
                paramLabel = "FILE",
                description = "Accounts file (default: ~/.config/parley/accounts).")
        Path accounts;

        @Override
        public Integer call() throws IOException {
            String invalid = AccountStore.invalidNameReason(name);
            if (invalid != null) {
                throw new IllegalArgumentException("'" + name + "' is not a valid user name: " + invalid);
            }
            Path file = accounts != null ? accounts : defaultAccounts();
            AccountStore store = AccountStore.load(file);
            char[] password = readPassword(name);
            try {
                boolean existed = store.put(name, password, new PasswordHasher());
                System.out.println((existed ? "Changed the password of " : "Added ") + name + " in " + file);
            } finally {
                Arrays.fill(password, '\0');
            }
            return 0;
        }
    }

    @Command(name = "remove-user", mixinStandardHelpOptions = true, description = "Remove a user.")
    static final class RemoveUser implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = "--accounts",
                paramLabel = "FILE",
                description = "Accounts file (default: ~/.config/parley/accounts).")
        Path accounts;

        @Override
        public Integer call() throws IOException {
            Path file = accounts != null ? accounts : defaultAccounts();
            if (!AccountStore.load(file).remove(name)) {
                throw new IllegalArgumentException("no user '" + name + "' in " + file);
            }
            System.out.println("Removed " + name + " from " + file);
            return 0;
        }
    }
}
