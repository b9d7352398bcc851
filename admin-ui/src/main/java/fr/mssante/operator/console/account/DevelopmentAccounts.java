package fr.mssante.operator.console.account;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import fr.mssante.operator.console.ConsoleProperties;

/**
 * Development mode only: (re)issues an operator ({@value #OPERATOR}) and an auditor ({@value #AUDITOR}) with fresh
 * random passwords and TOTP secrets at each start, and writes them to {@code var/dev/console-accounts.properties},
 * one line per account: {@code login=password totp-secret-base32 role} (readable by the owner only).
 */
@Component
public class DevelopmentAccounts implements SmartInitializingSingleton {
    public static final String FILE = "console-accounts.properties";
    public static final String OPERATOR = "operateur";
    public static final String AUDITOR = "auditeur";
    private static final Logger LOGGER = LoggerFactory.getLogger(DevelopmentAccounts.class);

    private final ConsoleProperties properties;
    private final AccountStore accounts;
    private final PasswordEncoder encoder;
    private final SecureRandom random = new SecureRandom();

    public DevelopmentAccounts(ConsoleProperties properties, AccountStore accounts, PasswordEncoder encoder) {
        this.properties = properties;
        this.accounts = accounts;
        this.encoder = encoder;
    }

    /** Before the web server opens its port: no login is attempted against accounts about to be re-issued. */
    @Override
    public void afterSingletonsInstantiated() {
        if (properties.production()) {
            return;
        }
        Map<String, Role> wanted = new LinkedHashMap<>();
        wanted.put(OPERATOR, Role.OPERATOR);
        wanted.put(AUDITOR, Role.AUDITOR);
        StringBuilder file = new StringBuilder("# Development accounts of the operator console (re-issued at each start): "
            + "login=password totp-secret-base32 role\n");
        wanted.forEach((login, role) -> {
            byte[] raw = new byte[12];
            random.nextBytes(raw);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            String secret = Totp.newSecret(random);
            accounts.save(login, encoder.encode(password), secret, role);
            file.append(login).append('=').append(password).append(' ').append(secret).append(' ').append(role).append('\n');
        });
        Path target = properties.devDirectory().resolve(FILE);
        try {
            Files.createDirectories(properties.devDirectory());
            Files.deleteIfExists(target);
            try {
                Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(target);
            }
            Files.writeString(target, file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
        LOGGER.info("Development console accounts written to {}", target);
    }
}
