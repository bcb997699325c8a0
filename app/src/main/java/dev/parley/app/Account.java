package dev.parley.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Who a command signs in as: {@code --user} and {@code --password-file}, for every command that signs in. */
final class Account {
    @Option(names = "--user", required = true, paramLabel = "NAME", description = "Who to sign in as.")
    String user;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "File holding the password (none on an open server).")
    Path passwordFile;

    /** The password from the file (its line break stripped), or null without one. */
    String password() throws IOException {
        return passwordFile == null ? null : Files.readString(passwordFile).strip();
    }
}
