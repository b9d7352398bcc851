package fr.mssante.operator.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import fr.mssante.operator.console.account.Totp;

/** The development accounts file ({@code login=password totp-secret-base32 role}), read as a user would. */
public record ConsoleAccounts(Path file) {
    public record Entry(String login, String password, String secret, String role) {
        /** The code an authenticator app shows now. */
        public String code() {
            return Totp.code(secret, Totp.step(Instant.now()));
        }
    }

    public Entry get(String login) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(login + "=")) {
                    String[] parts = line.substring(login.length() + 1).split(" ");
                    return new Entry(login, parts[0], parts[1], parts[2]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no account " + login + " in " + file);
    }
}
