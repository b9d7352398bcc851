package fr.mssante.operator.server.devmode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets generated once for development under {@code var/dev} (never committed, refused by production checks). */
public final class DevelopmentSecrets {
    private DevelopmentSecrets() {
    }

    /** The S/MIME key-store master key (base64 of 32 random bytes), created on first use. */
    public static String smimeMasterKey(Path devDirectory) {
        return randomKey(devDirectory, "smime-master.key");
    }

    /** The audit trail's patient-address hashing key (base64 of 32 random bytes), created on first use. */
    public static String auditHashKey(Path devDirectory) {
        return randomKey(devDirectory, "audit-hash.key");
    }

    private static String randomKey(Path devDirectory, String name) {
        Path file = devDirectory.resolve(name);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(devDirectory);
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the development key " + file, e);
        }
    }
}
