package fr.mssante.operator.server.devmode;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;

import javax.inject.Inject;
import javax.security.auth.x500.X500Principal;

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

import fr.mssante.operator.authentication.Authentication;
import fr.mssante.operator.citizen.Ins;
import fr.mssante.operator.documents.filing.DmpFilingPolicy;
import fr.mssante.operator.documents.filing.FilingRule;
import fr.mssante.operator.extensions.citizen.CitizenBridge;
import fr.mssante.operator.register.AccessRole;
import fr.mssante.operator.register.MailboxRecord;
import fr.mssante.operator.register.MailboxRegistry;
import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.vocabulary.MailboxState;

/**
 * Seeds the demo operator domain ({@value #DOMAIN} unless MSS_DEMO_DOMAIN says otherwise) with a few mailboxes in development mode and writes their
 * credentials to {@code var/dev/demo-credentials.properties} ({@code address=password}). Idempotent: an existing
 * credentials file is reused, so passwords stay stable across restarts.
 */
public class DemoData implements GuiceProbe {
    public static final String DOMAIN = "demo.mss.test";
    public static final List<String> LOCAL_PARTS = List.of(
        "alice.martin", "bruno.durand", "secretariat.cabinet-sante", "laboratoire.resultats", "claire.secretaire", "citoyens");
    /** The demo mailbox that stands for every demo citizen's personal e-mail (login codes, notifications). */
    public static final String CITIZENS_PERSONAL_MAILBOX = "citoyens";
    static final String CITIZENS_FILE = "demo-citizens.properties";
    /** The demo citizens (INS with valid keys, one Corsican), unless var/dev/demo-citizens.properties lists others. */
    public static final Map<String, String> DEMO_CITIZENS = demoCitizens();
    static final String CREDENTIALS_FILE = "demo-credentials.properties";
    static final String IDENTITIES_FILE = "demo-identities.properties";
    /** Fictitious national ids (8+RPPS, 0+ADELI) and structure id of the demo holders. */
    public static final String ALICE_ID = "810000000001";
    public static final String BRUNO_ID = "810000000002";
    public static final String CLAIRE_ID = "0750000003";
    public static final String LAB_STRUCTURE_ID = "1750000004";

    private final DomainList domains;
    private final UsersRepository users;
    private final MailboxManager mailboxManager;
    private final MailboxRegistry registry;
    private final Authentication authentication;
    private final DmpFilingPolicy dmpPolicy;
    private final CitizenBridge citizens;
    private final Clock clock;

    @Inject
    public DemoData(DomainList domains, UsersRepository users, MailboxManager mailboxManager, MailboxRegistry registry,
                    Authentication authentication, DmpFilingPolicy dmpPolicy, CitizenBridge citizens, Clock clock) {
        this.clock = clock;
        this.dmpPolicy = dmpPolicy;
        this.citizens = citizens;
        this.domains = domains;
        this.users = users;
        this.mailboxManager = mailboxManager;
        this.registry = registry;
        this.authentication = authentication;
    }

    /**
     * The register side of the demo: Alice and Bruno (PER), their practice's shared CAB mailbox (held by Alice,
     * Bruno co-holder), Claire their secretary (delegated to read and send for Alice), and the lab's APP mailbox that
     * logs in with its client certificate ({@code var/dev/pki/laboratoire-*.pem}). Writes {@code address=nationalId}
     * to {@code demo-identities.properties} for the development OIDC issuer.
     */
    public void seedRegister(Path devDirectory, String domainName, X509Certificate labCertificate) throws Exception {
        Map<String, String> identities = new TreeMap<>();
        register(new MailboxRecord("alice.martin@" + domainName, MailboxKind.PER, ALICE_ID, Optional.of("Dr Alice Martin"),
            Optional.of("Médecine générale"), false, Optional.of(1), MailboxState.ACTIVE, clock.instant(), Optional.empty()));
        register(new MailboxRecord("bruno.durand@" + domainName, MailboxKind.PER, BRUNO_ID, Optional.of("Dr Bruno Durand"),
            Optional.of("Cardiologie"), false, Optional.of(1), MailboxState.ACTIVE, clock.instant(), Optional.empty()));
        register(new MailboxRecord("claire.secretaire@" + domainName, MailboxKind.PER, CLAIRE_ID, Optional.of("Claire, secrétaire médicale"),
            Optional.empty(), true, Optional.empty(), MailboxState.ACTIVE, clock.instant(), Optional.empty()));
        register(new MailboxRecord("secretariat.cabinet-sante@" + domainName, MailboxKind.CAB, ALICE_ID,
            Optional.of("Cabinet Santé — secrétariat"), Optional.empty(), false, Optional.of(2), MailboxState.ACTIVE,
            clock.instant(), Optional.empty()));
        register(new MailboxRecord("laboratoire.resultats@" + domainName, MailboxKind.APP, LAB_STRUCTURE_ID,
            Optional.of("Laboratoire — résultats (CR-BIO)"), Optional.empty(), false, Optional.empty(), MailboxState.ACTIVE,
            clock.instant(), Optional.empty()));
        grant("secretariat.cabinet-sante@" + domainName, BRUNO_ID, AccessRole.CO_HOLDER);
        grant("alice.martin@" + domainName, CLAIRE_ID, AccessRole.DELEGATE_SEND);
        authentication.access().registerCertificate("laboratoire.resultats@" + domainName,
            labCertificate.getSubjectX500Principal().getName(X500Principal.RFC2253), Optional.empty());
        // the lab files every CDA it sends into the DMP (the development stand-in)
        dmpPolicy.set("MAILBOX", "laboratoire.resultats@" + domainName, FilingRule.ALL_CDA);
        identities.put("alice.martin@" + domainName, ALICE_ID);
        identities.put("bruno.durand@" + domainName, BRUNO_ID);
        identities.put("claire.secretaire@" + domainName, CLAIRE_ID);
        Path file = devDirectory.resolve(IDENTITIES_FILE);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write("# Development demo identities: address=national id of the holder (SubjectNameID). Generated.\n");
            for (Map.Entry<String, String> entry : identities.entrySet()) {
                writer.write(entry.getKey() + "=" + entry.getValue() + "\n");
            }
        }
    }

    /**
     * The citizen side of the demo (contract B): the development patient domain served here, the citizens of
     * {@code var/dev/demo-citizens.properties} ({@code INS=Display Name}; written with {@link #DEMO_CITIZENS} when
     * absent) in the register with {@code citoyens@<demo domain>} as personal e-mail, and their mailboxes (James users
     * whose random password is never usable: only the health space's certificate opens a citizen mailbox).
     */
    public Map<String, String> seedCitizens(Path devDirectory, String patientDomain, String demoDomain) throws Exception {
        Domain domain = Domain.of(patientDomain);
        if (!domains.containsDomain(domain)) {
            domains.addDomain(domain);
        }
        Path file = devDirectory.resolve(CITIZENS_FILE);
        Map<String, String> listed = read(file);
        if (listed.isEmpty()) {
            listed.putAll(DEMO_CITIZENS);
            Files.createDirectories(devDirectory);
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                writer.write("# Development demo citizens: INS=display name (UTF-8). Their mailboxes are <INS>@" + patientDomain
                    + "; their personal e-mail is " + CITIZENS_PERSONAL_MAILBOX + "@" + demoDomain + ". Generated.\n");
                for (Map.Entry<String, String> entry : listed.entrySet()) {
                    writer.write(entry.getKey() + "=" + entry.getValue() + "\n");
                }
            }
        }
        for (Map.Entry<String, String> entry : listed.entrySet()) {
            Ins ins = new Ins(entry.getKey());
            citizens.register().registerIfAbsent(ins, patientDomain, entry.getValue(), CITIZENS_PERSONAL_MAILBOX + "@" + demoDomain);
            Username username = Username.of(ins.address(patientDomain));
            if (!users.contains(username)) {
                users.addUser(username, newPassword() + newPassword());
            }
            ensureInbox(username);
        }
        return listed;
    }

    private static Map<String, String> demoCitizens() {
        Map<String, String> citizens = new LinkedHashMap<>();
        citizens.put("285057511223391", "Camille Dubois");
        citizens.put("146026322000196", "Jean Lefèvre");
        citizens.put("172032A01400591", "Lucas Santoni");
        citizens.put("291091305501271", "Inès Moreau");
        return Collections.unmodifiableMap(citizens);
    }

    private void register(MailboxRecord mailbox) throws SQLException {
        if (registry.find(mailbox.address()).isEmpty()) {
            registry.create(mailbox, "demo-data");
        }
    }

    private void grant(String address, String identity, AccessRole role) throws SQLException {
        boolean present = registry.accessOf(identity).stream()
            .anyMatch(access -> access.address().equals(address) && access.role() == role);
        if (!present) {
            registry.grant(address, identity, role, "demo-data");
        }
    }

    /** The domains this server serves (autoconfiguration answers only for them). */
    public Predicate<String> domains() {
        return name -> {
            try {
                return domains.containsDomain(Domain.of(name));
            } catch (Exception e) {
                return false;
            }
        };
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
