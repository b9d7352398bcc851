package fr.mssante.operator.server.devmode;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.model.User;
import org.apache.james.utils.GuiceProbe;

import reactor.core.publisher.Mono;

/**
 * Seeds the demo operator domain ({@value #DOMAIN} unless MSS_DEMO_DOMAIN says otherwise) with a few mailboxes in development mode and writes their
 * credentials to {@code var/dev/demo-credentials.properties} ({@code address=password}). Idempotent: an existing
 * credentials file is reused, so passwords stay stable across restarts.
 */
public class DemoData implements GuiceProbe {
    public static final String DOMAIN = "demo.mss.test";
    public static final List<String> LOCAL_PARTS = List.of(
        "alice.martin", "bruno.durand", "secretariat.cabinet-sante", "laboratoire.resultats");
    static final String CREDENTIALS_FILE = "demo-credentials.properties";

    private final DomainList domains;
    private final UsersRepository users;
    private final MailboxManager mailboxManager;

    @Inject
    public DemoData(DomainList domains, UsersRepository users, MailboxManager mailboxManager) {
        this.domains = domains;
        this.users = users;
        this.mailboxManager = mailboxManager;
    }

    /** @return the demo credentials, address to password */
    public Map<String, String> seed(Path devDirectory, String domainName) throws Exception {
        Path file = devDirectory.resolve(CREDENTIALS_FILE);
        Map<String, String> credentials = read(file);
        Domain domain = Domain.of(domainName);
        if (!domains.containsDomain(domain)) {
            domains.addDomain(domain);
        }
        for (String address : LOCAL_PARTS.stream().map(local -> local + "@" + domainName).toList()) {
            String password = credentials.computeIfAbsent(address, any -> newPassword());
            Username username = Username.of(address);
            if (users.contains(username)) {
                User user = users.getUserByName(username);
                if (!user.verifyPassword(password)) {
                    user.setPassword(password);
                    users.updateUser(user);
                }
            } else {
                users.addUser(username, password);
            }
            ensureInbox(username);
        }
        write(file, credentials);
        return credentials;
    }

    private void ensureInbox(Username username) throws Exception {
        MailboxSession session = mailboxManager.createSystemSession(username);
        try {
            MailboxPath inbox = MailboxPath.inbox(username);
            if (!Mono.from(mailboxManager.mailboxExists(inbox, session)).block()) {
                mailboxManager.createMailbox(inbox, session);
            }
        } finally {
            mailboxManager.endProcessingRequest(session);
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Map<String, String> read(Path file) {
        Map<String, String> credentials = new TreeMap<>();
        if (Files.exists(file)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
            properties.stringPropertyNames().forEach(name -> credentials.put(name, properties.getProperty(name)));
        }
        return credentials;
    }

    private static void write(Path file, Map<String, String> credentials) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write("# Development demo mailboxes: address=password. Generated; never commit.\n");
            for (Map.Entry<String, String> entry : credentials.entrySet()) {
                writer.write(entry.getKey() + "=" + entry.getValue() + "\n");
            }
        }
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
    }
}
