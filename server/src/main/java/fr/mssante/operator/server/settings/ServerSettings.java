package fr.mssante.operator.server.settings;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.security.auth.x500.X500Principal;

import org.apache.commons.configuration2.ex.ConfigurationException;

import fr.mssante.operator.audit.AuditRetention;
import fr.mssante.operator.audit.PatientAddresses;
import fr.mssante.operator.authentication.AuthenticationSettings;
import fr.mssante.operator.authentication.LoginThrottle;
import fr.mssante.operator.authentication.OidcSettings;
import fr.mssante.operator.authentication.PasswordPolicy;
import fr.mssante.operator.citizen.CitizenSettings;
import fr.mssante.operator.citizen.PatientDomains;
import fr.mssante.operator.delivery.OutboundSettings;
import fr.mssante.operator.delivery.Route;
import fr.mssante.operator.directory.ldap.LdapLimits;
import fr.mssante.operator.directory.publication.UnusedMailboxPolicy;
import fr.mssante.operator.directory.source.DownloadLimits;
import fr.mssante.operator.documents.antivirus.ClamdScanner;
import fr.mssante.operator.documents.antivirus.VirusScanner;
import fr.mssante.operator.documents.ins.Environment;
import fr.mssante.operator.extensions.audit.AuditSettings;
import fr.mssante.operator.extensions.imap.SearchLimits;
import fr.mssante.operator.extensions.smtp.RefuseWhenStorageLow;
import fr.mssante.operator.server.cluster.ClusterSettings;
import fr.mssante.operator.smime.SmimeSettings;
import fr.mssante.operator.trust.network.TrustedFronts;
import fr.mssante.operator.trust.space.TrustSpaceSettings;

/**
 * The resolved deployment settings (system property, else environment, else development default).
 * Invalid values fail at start-up with a message naming the setting.
 */
public final class ServerSettings {
    /** Settings that may not fall back to a development default in production. */
    private static final Setting[] REQUIRED_IN_PRODUCTION = {
        Setting.TLS_CERTIFICATE, Setting.TLS_PRIVATE_KEY, Setting.WEBADMIN_JWT_PUBLIC_KEY, Setting.TRUST_ROOTS,
        Setting.TRUST_LIST, Setting.DB_URL, Setting.DB_PASSWORD, Setting.CLAMD_ADDRESS};

    private final Map<Setting, String> values;
    private final RuntimeMode mode;

    private ServerSettings(Map<Setting, String> values, RuntimeMode mode) {
        this.values = values;
        this.mode = mode;
    }

    /**
     * System properties, then environment variables (and {@code MSS_X_FILE} secrets), then {@code conf/mss.properties}
     * (keys are the system property names), then development defaults.
     */
    public static ServerSettings fromEnvironment(Path confDirectory) {
        Properties file = new Properties();
        Path mssProperties = confDirectory.resolve("mss.properties");
        if (Files.isRegularFile(mssProperties)) {
            try (Reader reader = Files.newBufferedReader(mssProperties, StandardCharsets.UTF_8)) {
                file.load(reader);
            } catch (IOException e) {
                throw new InvalidConfigurationException("Cannot read " + mssProperties + ": " + e.getMessage());
            }
        }
        return resolve(System::getenv, System::getProperty, file::getProperty);
    }

    /** Resolution with explicit sources, for tests. */
    public static ServerSettings resolve(Function<String, String> environment, Function<String, String> properties) {
        return resolve(environment, properties, name -> null);
    }

    static ServerSettings resolve(Function<String, String> environment, Function<String, String> properties,
                                  Function<String, String> confFile) {
        Map<Setting, String> explicit = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            Optional.ofNullable(properties.apply(setting.property()))
                .or(() -> Optional.ofNullable(environment.apply(setting.environmentVariable())))
                .or(() -> Optional.ofNullable(environment.apply(setting.environmentVariable() + "_FILE"))
                    .map(file -> readSecretFile(setting, file)))
                .or(() -> Optional.ofNullable(confFile.apply(setting.property())))
                .map(String::trim)
                .ifPresent(value -> explicit.put(setting, value));
        }
        RuntimeMode mode = RuntimeMode.parse(explicit.getOrDefault(Setting.MODE, Setting.MODE.developmentDefault()), Setting.MODE);
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        List<String> missing = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            String value = explicit.get(setting);
            if (value == null || value.isEmpty()) {
                boolean pkcs12 = explicit.getOrDefault(Setting.TLS_CERTIFICATE, "").toLowerCase(Locale.ROOT).matches(".*\\.(p12|pfx)");
                if (mode == RuntimeMode.PRODUCTION && isRequiredInProduction(setting)
                    && !(setting == Setting.TLS_PRIVATE_KEY && pkcs12)) {
                    missing.add(setting.environmentVariable());
                }
                value = setting.developmentDefault();
            }
            values.put(setting, value);
        }
        if (!missing.isEmpty()) {
            throw new InvalidSettingException(Setting.MODE, "production mode requires " + String.join(", ", missing));
        }
        if (values.get(Setting.POSTMASTER).isEmpty()) {
            // without a domain James takes the first non-localhost domain we host (postmaster@localhost otherwise)
            values.put(Setting.POSTMASTER, mode == RuntimeMode.PRODUCTION ? "postmaster"
                : "postmaster@" + values.get(Setting.DEMO_DOMAIN));
        }
        ServerSettings settings = new ServerSettings(values, mode);
        settings.validate();
        return settings;
    }

    /** {@code MSS_X_FILE=/path} supplies {@code MSS_X} from a file (container secrets). */
    private static String readSecretFile(Setting setting, String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidSettingException(setting, "cannot read " + setting.environmentVariable() + "_FILE " + file);
        }
    }

    private static boolean isRequiredInProduction(Setting setting) {
        for (Setting required : REQUIRED_IN_PRODUCTION) {
            if (required == setting) {
                return true;
            }
        }
        return false;
    }

    private void validate() {
        for (Setting setting : new Setting[] {Setting.LDAP_PORT, Setting.LDAPS_PORT, Setting.SMTP_MX_PORT, Setting.SUBMISSION_PORT, Setting.SUBMISSIONS_PORT,
            Setting.IMAP_PORT, Setting.IMAPS_PORT, Setting.WEBADMIN_PORT, Setting.DB_EMBEDDED_PORT}) {
            port(setting);
        }
        trustSpace(Path.of("."));
        ldapLimits();
        time(Setting.DIRECTORY_IMPORT_TIME);
        directoryDownloadLimits();
        unusedMailboxPolicy();
        outbound(Path.of("."));
        authentication();
        virusScanner();
        insEnvironment();
        citizen();
        duration(Setting.ANTIVIRUS_RETRY, get(Setting.ANTIVIRUS_RETRY));
        duration(Setting.DATABASE_RETRY, get(Setting.DATABASE_RETRY));
        port(Setting.OIDC_DEV_PORT);
        port(Setting.AUTOCONFIG_PORT);
        for (Setting limit : new Setting[] {Setting.IMAP_CONNECTIONS_PER_ADDRESS, Setting.IMAP_MAX_CONNECTIONS,
            Setting.SMTP_CONNECTIONS_PER_ADDRESS, Setting.SMTP_MAX_CONNECTIONS}) {
            count(limit, 0);
        }
        count(Setting.IMAP_SEARCH_CONCURRENCY, 1);
        count(Setting.MIME_MAX_DEPTH, 2);
        searchLimits();
        shutdownTimeout();
        distinctListeningPorts();
        cluster();
        proxyProtocol();
        maxMessageSize();
        synchronousCommit();
        minFreeSpace();
        String url = get(Setting.DB_URL);
        if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
            throw new InvalidSettingException(Setting.DB_URL, "must be a jdbc:postgresql: URL");
        }
    }

    /** A listener this process opens: the setting that gives its port, and the address it binds. */
    public record Listener(Setting port, String address, int number) {
    }

    /**
     * The TCP listeners this process opens with these settings, each with its fixed port (port 0, "any free port",
     * is left out): the mail and IMAP listeners, WebAdmin, the directory's LDAP/LDAPS, client autoconfiguration; the
     * embedded PostgreSQL when no database is configured; the development issuer and DMP stand-in in development.
     */
    public List<Listener> listeners() {
        String bind = get(Setting.BIND_ADDRESS);
        List<Listener> listeners = new ArrayList<>();
        for (Setting setting : new Setting[] {Setting.SMTP_MX_PORT, Setting.SUBMISSION_PORT, Setting.SUBMISSIONS_PORT,
            Setting.IMAP_PORT, Setting.IMAPS_PORT, Setting.LDAP_PORT, Setting.LDAPS_PORT, Setting.AUTOCONFIG_PORT}) {
            listeners.add(new Listener(setting, bind, port(setting)));
        }
        listeners.add(new Listener(Setting.WEBADMIN_PORT, get(Setting.WEBADMIN_HOST), port(Setting.WEBADMIN_PORT)));
        if (usesEmbeddedDatabase()) {
            listeners.add(new Listener(Setting.DB_EMBEDDED_PORT, "127.0.0.1", port(Setting.DB_EMBEDDED_PORT)));
        }
        if (mode == RuntimeMode.DEVELOPMENT && get(Setting.OIDC_ISSUER).isEmpty()) {
            listeners.add(new Listener(Setting.OIDC_DEV_PORT, bind, port(Setting.OIDC_DEV_PORT)));
        }
        listeners.removeIf(listener -> listener.number() == 0);
        return List.copyOf(listeners);
    }

    /**
     * Two listeners given the same port would make the second one fail to bind at start-up (James's WebAdmin then
     * waits for ever instead of stopping): refused here, naming both settings.
     */
    private void distinctListeningPorts() {
        Map<Integer, Setting> seen = new LinkedHashMap<>();
        for (Listener listener : listeners()) {
            Setting first = seen.putIfAbsent(listener.number(), listener.port());
            if (first != null) {
                throw new InvalidSettingException(listener.port(), "port " + listener.number() + " is already given to "
                    + first.names() + ": each listener needs a port of its own");
            }
        }
    }

    public RuntimeMode mode() {
        return mode;
    }

    public String get(Setting setting) {
        return values.get(setting);
    }

    public int port(Setting setting) {
        String value = get(setting);
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new InvalidSettingException(setting, "must be a port between 0 and 65535, got " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(setting, "must be a port number, got '" + value + "'");
        }
    }

    /** Usable bytes var/store must keep for SMTP to accept mail (0 = no check). */
    public long minFreeSpace() {
        try {
            return RefuseWhenStorageLow.parseSize(get(Setting.MIN_FREE_SPACE));
        } catch (ConfigurationException e) {
            throw new InvalidSettingException(Setting.MIN_FREE_SPACE, "must be 0 or a size such as 256M, got '"
                + get(Setting.MIN_FREE_SPACE) + "'");
        }
    }

    /** The embedded PostgreSQL's {@code synchronous_commit}: {@code on} (default), {@code off} or {@code local}. */
    public String synchronousCommit() {
        String value = get(Setting.DB_SYNCHRONOUS_COMMIT).trim().toLowerCase(Locale.ROOT);
        if (!value.equals("on") && !value.equals("off") && !value.equals("local")) {
            throw new InvalidSettingException(Setting.DB_SYNCHRONOUS_COMMIT, "must be on, off or local, got '" + value + "'");
        }
        return value;
    }

    /** A non-negative integer setting of at least {@code minimum} (limits: 0 usually means "no limit"). */
    public int count(Setting setting, int minimum) {
        String value = get(setting);
        try {
            int count = Integer.parseInt(value);
            if (count < minimum) {
                throw new InvalidSettingException(setting, "must be at least " + minimum + ", got " + value);
            }
            return count;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(setting, "must be an integer, got '" + value + "'");
        }
    }

    /** Bounds of IMAP SEARCH: a time budget per search and how many searches reading message contents run at once. */
    public SearchLimits searchLimits() {
        Duration timeout = duration(Setting.IMAP_SEARCH_TIMEOUT, get(Setting.IMAP_SEARCH_TIMEOUT));
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidSettingException(Setting.IMAP_SEARCH_TIMEOUT, "must be a positive duration");
        }
        return new SearchLimits(timeout, count(Setting.IMAP_SEARCH_CONCURRENCY, 1),
            bool(Setting.IMAP_SEARCH_INDEX));
    }

    /** How long the server may take to stop its listeners and James before the rest is closed anyway. */
    public Duration shutdownTimeout() {
        Duration timeout = duration(Setting.SHUTDOWN_TIMEOUT, get(Setting.SHUTDOWN_TIMEOUT));
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidSettingException(Setting.SHUTDOWN_TIMEOUT, "must be a positive duration");
        }
        return timeout;
    }

    /** Limits of the directory LDAP server (message size, nesting depth, connections per address; 0 = no limit). */
    public LdapLimits ldapLimits() {
        return new LdapLimits(count(Setting.LDAP_MAX_MESSAGE_BYTES, 1024),
            count(Setting.LDAP_MAX_NESTING_DEPTH, 4), count(Setting.LDAP_MAX_CONNECTIONS_PER_ADDRESS, 0));
    }


    /** The trust-space settings, relative paths resolved against {@code workingDirectory}. */
    public TrustSpaceSettings trustSpace(Path workingDirectory) {
        Duration refresh;
        try {
            refresh = Duration.parse(get(Setting.TRUST_LIST_REFRESH));
        } catch (DateTimeParseException e) {
            throw new InvalidSettingException(Setting.TRUST_LIST_REFRESH, "must be an ISO-8601 duration such as PT1H, got '"
                + get(Setting.TRUST_LIST_REFRESH) + "'");
        }
        double ratio;
        try {
            ratio = Double.parseDouble(get(Setting.TRUST_LIST_MIN_RATIO));
        } catch (NumberFormatException e) {
            ratio = -1;
        }
        if (ratio < 0 || ratio > 1) {
            throw new InvalidSettingException(Setting.TRUST_LIST_MIN_RATIO, "must be a number between 0 and 1");
        }
        String list = get(Setting.TRUST_LIST);
        String location = list.startsWith("https://") ? list : workingDirectory.resolve(list).toString();
        List<Path> crls = Stream.of(get(Setting.TRUST_CRL_FILES).split(",")).map(String::trim).filter(f -> !f.isEmpty())
            .map(workingDirectory::resolve).toList();
        return new TrustSpaceSettings(workingDirectory.resolve(get(Setting.TRUST_ROOTS)), location, refresh, crls,
            bool(Setting.TRUST_FETCH_CRLS), bool(Setting.TRUST_OCSP), ratio);
    }

    /** Outbound delivery settings, relative paths resolved against {@code workingDirectory}. */
    public OutboundSettings outbound(Path workingDirectory) {
        Map<String, Route> routes = new LinkedHashMap<>();
        for (String entry : get(Setting.OUTBOUND_ROUTES).split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=", 2);
            if (parts.length != 2 || !parts[1].trim().matches("[^:\\s]+(:\\d{1,5})?")) {
                throw new InvalidSettingException(Setting.OUTBOUND_ROUTES, "entries must look like domain=host:port, got '" + entry + "'");
            }
            routes.put(parts[0].trim().toLowerCase(Locale.ROOT), Route.parse(parts[1]));
        }
        List<Duration> delays = Stream.of(get(Setting.OUTBOUND_DELAYS).split(",")).map(String::trim)
            .map(value -> duration(Setting.OUTBOUND_DELAYS, value)).toList();
        int attempts;
        try {
            attempts = Integer.parseInt(get(Setting.OUTBOUND_MAX_ATTEMPTS));
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(Setting.OUTBOUND_MAX_ATTEMPTS, "must be a number");
        }
        if (attempts < 1) {
            throw new InvalidSettingException(Setting.OUTBOUND_MAX_ATTEMPTS, "must be at least 1");
        }
        return new OutboundSettings(workingDirectory.resolve(get(Setting.TLS_CERTIFICATE)),
            workingDirectory.resolve(get(Setting.TLS_PRIVATE_KEY)), get(Setting.HELO_NAME), routes,
            duration(Setting.OUTBOUND_TIMEOUT, get(Setting.OUTBOUND_TIMEOUT)), delays, attempts,
            duration(Setting.OUTBOUND_MAX_IDLE, get(Setting.OUTBOUND_MAX_IDLE)));
    }

    /** The audit trail: patient-address hashing key (required) and retention (MSS_AUDIT_RETENTION). */
    public AuditSettings audit() {
        Period retention;
        try {
            retention = AuditRetention.parse(get(Setting.AUDIT_RETENTION));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Setting.AUDIT_RETENTION, e.getMessage());
        }
        String key = get(Setting.AUDIT_HASH_KEY);
        try {
            PatientAddresses.withBase64Key(key);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Setting.AUDIT_HASH_KEY, "must be base64 of at least 32 random bytes");
        }
        return new AuditSettings(key, retention);
    }

    /**
     * S/MIME settings: signer roots default to the trust-space roots; signer revocation uses the trust-space sources
     * (CRL files, distribution points when MSS_TRUST_FETCH_CRLS, OCSP when MSS_TRUST_OCSP).
     */
    public SmimeSettings smime(Path workingDirectory) {
        String roots = get(Setting.SMIME_ROOTS).isEmpty() ? get(Setting.TRUST_ROOTS) : get(Setting.SMIME_ROOTS);
        TrustSpaceSettings trustSpace = trustSpace(workingDirectory);
        return new SmimeSettings(workingDirectory.resolve(roots), trustSpace.crlFiles(),
            Optional.of(get(Setting.SMIME_MASTER_KEY)).filter(key -> !key.isEmpty()),
            Optional.of(get(Setting.SMIME_OPERATOR_KEY_OWNER)).filter(owner -> !owner.isEmpty()),
            trustSpace.fetchCrls(), trustSpace.ocsp());
    }

    /**
     * Professionals' access. Tokens are checked only when an issuer is configured (in development the runtime fills
     * in its own issuer); the audience is then mandatory in production.
     */
    public AuthenticationSettings authentication() {
        Optional<OidcSettings> oidc = Optional.empty();
        if (!get(Setting.OIDC_ISSUER).isEmpty()) {
            if (mode == RuntimeMode.PRODUCTION && get(Setting.OIDC_AUDIENCE).isEmpty()) {
                throw new InvalidSettingException(Setting.OIDC_AUDIENCE, "is required in production when MSS_OIDC_ISSUER is set");
            }
            try {
                oidc = Optional.of(new OidcSettings(get(Setting.OIDC_ISSUER),
                    optional(Setting.OIDC_AUDIENCE), optional(Setting.OIDC_JWKS_URL).map(URI::create),
                    optional(Setting.OIDC_INTROSPECTION_URL).map(URI::create), optional(Setting.OIDC_CLIENT_ID),
                    optional(Setting.OIDC_CLIENT_SECRET), get(Setting.OIDC_IDENTITY_CLAIM), Duration.ofSeconds(30)));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(Setting.OIDC_ISSUER, e.getMessage());
            }
        }
        PasswordPolicy policy;
        try {
            policy = PasswordPolicy.valueOf(get(Setting.PASSWORD_LOGIN).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Setting.PASSWORD_LOGIN, "must be DISABLED, PASSWORD or PASSWORD_TOTP, got '"
                + get(Setting.PASSWORD_LOGIN) + "'");
        }
        LoginThrottle.Settings throttle;
        try {
            Duration first = duration(Setting.LOGIN_FIRST_DELAY, get(Setting.LOGIN_FIRST_DELAY));
            Duration max = duration(Setting.LOGIN_MAX_DELAY, get(Setting.LOGIN_MAX_DELAY));
            throttle = new LoginThrottle.Settings(
                new LoginThrottle.Backoff(count(Setting.LOGIN_FREE_FAILURES, 0), first, max),
                new LoginThrottle.Backoff(count(Setting.LOGIN_SOURCE_FREE_FAILURES, 0), first, max),
                duration(Setting.LOGIN_FORGET_AFTER, get(Setting.LOGIN_FORGET_AFTER)));
        } catch (InvalidSettingException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Setting.LOGIN_MAX_DELAY, e.getMessage() + " (MSS_LOGIN_FIRST_DELAY <= MSS_LOGIN_MAX_DELAY)");
        }
        return new AuthenticationSettings(oidc, policy, throttle,
            optional(Setting.SMIME_MASTER_KEY));
    }

    /**
     * The largest message accepted by any way in (SMTP MX, submission, IMAP APPEND), in bytes. The value is a number
     * with a unit (K, M or G: binary multiples), so that James's SMTP ({@code maxmessagesize}, KiB by default) and
     * IMAP ({@code literalSizeLimit}, bytes by default) read it alike from {@code ${sys:mss.message.maxSize}}.
     */
    public long maxMessageSize() {
        String value = get(Setting.MAX_MESSAGE_SIZE);
        Matcher size = Pattern.compile("(\\d{1,7})([KkMmGg])").matcher(value);
        if (!size.matches()) {
            throw new InvalidSettingException(Setting.MAX_MESSAGE_SIZE, "must be a size with a unit (K, M or G) such as 36M, got '"
                + value + "'");
        }
        int shift = switch (Character.toUpperCase(size.group(2).charAt(0))) {
            case 'K' -> 10;
            case 'M' -> 20;
            default -> 30;
        };
        long bytes = Long.parseLong(size.group(1)) << shift;
        if (bytes < 1024 || bytes > Integer.MAX_VALUE) {
            throw new InvalidSettingException(Setting.MAX_MESSAGE_SIZE, "must be between 1K and 2047M, got '" + value + "'");
        }
        return bytes;
    }

    /** The virus scanner: clamd when {@code MSS_CLAMD_ADDRESS} is set (mandatory in production), none otherwise. */
    public Optional<VirusScanner> virusScanner() {
        try {
            return optional(Setting.CLAMD_ADDRESS).map(ClamdScanner::new);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Setting.CLAMD_ADDRESS, e.getMessage());
        }
    }

    /** When a published mailbox is unused and withdrawn from the national directory (MSS_DIRECTORY_DEPUBLISH_AFTER). */
    public UnusedMailboxPolicy unusedMailboxPolicy() {
        try {
            return UnusedMailboxPolicy.fromEnvironment(
                Map.of(Setting.DIRECTORY_DEPUBLISH_AFTER.environmentVariable(), get(Setting.DIRECTORY_DEPUBLISH_AFTER)));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Setting.DIRECTORY_DEPUBLISH_AFTER, e.getMessage());
        }
    }

    /** Bounds of directory downloads (console "import now" and the daily import): the byte cap; 5 same-host redirects. */
    public DownloadLimits directoryDownloadLimits() {
        String value = get(Setting.DIRECTORY_DOWNLOAD_MAX_BYTES).trim();
        try {
            long bytes = Long.parseLong(value);
            if (bytes < 1) {
                throw new NumberFormatException("not positive");
            }
            return new DownloadLimits(bytes,
                DownloadLimits.DEFAULT.maxRedirects());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(Setting.DIRECTORY_DOWNLOAD_MAX_BYTES, "must be a positive number of bytes, got '" + value + "'");
        }
    }

    /** PRODUCTION unless set; TEST by default in development. */
    public Environment insEnvironment() {
        String value = optional(Setting.INS_ENVIRONMENT).orElse(mode == RuntimeMode.PRODUCTION ? "PRODUCTION" : "TEST");
        try {
            return Environment.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Setting.INS_ENVIRONMENT, "must be PRODUCTION, TEST or DEMO, got '" + value + "'");
        }
    }

    /** The development patient domain we serve (the stand-in for Mon espace santé). */
    public static final String DEVELOPMENT_PATIENT_DOMAIN = "patient.mss.test";
    /** The subject of the development PKI's health-space certificate (var/dev/pki/health-space.p12). */
    public static final String DEVELOPMENT_HEALTH_SPACE_DN = "CN=health-space,O=MSS DEVELOPMENT ONLY,C=FR";

    /** Citizen messaging: patient domains, the pharmacy exception, the health space's link and certificate subject. */
    public CitizenSettings citizen() {
        String domains = optional(Setting.PATIENT_DOMAINS).orElse(mode == RuntimeMode.PRODUCTION ? "patient.mssante.fr"
            : DEVELOPMENT_PATIENT_DOMAIN + ",patient.mssante.fr");
        Set<String> pharmacies = new LinkedHashSet<>();
        for (String address : get(Setting.CITIZEN_PHARMACY_MAILBOXES).split(",")) {
            if (!address.isBlank()) {
                if (!address.trim().matches("[^@\\s,]+@[^@\\s,]+")) {
                    throw new InvalidSettingException(Setting.CITIZEN_PHARMACY_MAILBOXES, "must be a comma list of addresses, got '" + address + "'");
                }
                pharmacies.add(address.trim().toLowerCase(Locale.ROOT));
            }
        }
        Duration window = duration(Setting.CITIZEN_PHARMACY_WINDOW, get(Setting.CITIZEN_PHARMACY_WINDOW));
        if (window.isNegative()) {
            throw new InvalidSettingException(Setting.CITIZEN_PHARMACY_WINDOW, "must not be negative");
        }
        Optional<String> gateway = optional(Setting.HEALTH_SPACE_CERT_DN)
            .or(() -> mode == RuntimeMode.PRODUCTION ? Optional.empty() : Optional.of(DEVELOPMENT_HEALTH_SPACE_DN))
            .map(ServerSettings::distinguishedName);
        return new CitizenSettings(PatientDomains.of(domains),
            pharmacies, window, get(Setting.HEALTH_SPACE_URL), gateway);
    }

    private static String distinguishedName(String dn) {
        try {
            return new X500Principal(dn).getName(X500Principal.RFC2253);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Setting.HEALTH_SPACE_CERT_DN, "must be a distinguished name such as "
                + DEVELOPMENT_HEALTH_SPACE_DN + ", got '" + dn + "'");
        }
    }

    private Optional<String> optional(Setting setting) {
        return Optional.of(get(setting)).filter(value -> !value.isEmpty());
    }

    private static Duration duration(Setting setting, String value) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidSettingException(setting, "must be ISO-8601 durations such as PT5M, got '" + value + "'");
        }
    }

    public LocalTime time(Setting setting) {
        try {
            return LocalTime.parse(get(setting));
        } catch (DateTimeParseException e) {
            throw new InvalidSettingException(setting, "must be a time of day such as 03:30, got '" + get(setting) + "'");
        }
    }

    private boolean bool(Setting setting) {
        String value = get(setting);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new InvalidSettingException(setting, "must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /**
     * Scale-out (issue 18): the shared queue and events broker and this node's name. Only ActiveMQ OpenWire URLs
     * (tcp, ssl, nio, nio+ssl, failover) are accepted; an empty node name is the host name.
     */
    public ClusterSettings cluster() {
        Optional<String> queue = Optional.of(get(Setting.QUEUE_URL)).filter(url -> !url.isBlank());
        Optional<String> events = Optional.of(get(Setting.EVENTS_URL)).filter(url -> !url.isBlank());
        queue.ifPresent(url -> requireOpenWire(Setting.QUEUE_URL, url));
        events.ifPresent(url -> requireOpenWire(Setting.EVENTS_URL, url));
        String node = get(Setting.NODE_NAME).trim();
        if (node.isEmpty()) {
            try {
                node = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                node = "node-" + ProcessHandle.current().pid();
            }
        }
        if (!node.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new InvalidSettingException(Setting.NODE_NAME, "must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return new ClusterSettings(queue, get(Setting.QUEUE_USER),
            get(Setting.QUEUE_PASSWORD), events, node);
    }

    private static void requireOpenWire(Setting setting, String url) {
        if (!url.matches("(?i)(failover:\\(?)?(tcp|ssl|nio|nio\\+ssl)://.+")) {
            throw new InvalidSettingException(setting,
                "must be an ActiveMQ OpenWire URL such as failover:(tcp://broker:61616), got '" + url + "'");
        }
    }

    public boolean usesEmbeddedDatabase() {
        return get(Setting.DB_URL).isEmpty();
    }

    /** The same settings with one value replaced (e.g. key material converted at start). */
    public ServerSettings with(Setting setting, String value) {
        Map<Setting, String> copy = new EnumMap<>(values);
        copy.put(setting, value);
        return new ServerSettings(copy, mode);
    }

    /**
     * The PROXY protocol (MSS_PROXY_PROTOCOL, MSS_PROXY_TRUSTED): the trusted fronts, empty when the protocol is off.
     * On, at least one front must be listed, literally (no host names).
     */
    public TrustedFronts proxyProtocol() {
        TrustedFronts fronts;
        try {
            fronts = TrustedFronts.parse(get(Setting.PROXY_TRUSTED));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Setting.PROXY_TRUSTED, e.getMessage());
        }
        if (!bool(Setting.PROXY_PROTOCOL)) {
            return TrustedFronts.parse("");
        }
        if (fronts.isEmpty()) {
            throw new InvalidSettingException(Setting.PROXY_TRUSTED,
                "must list the TCP fronts' addresses (IP or CIDR) when MSS_PROXY_PROTOCOL is true");
        }
        return fronts;
    }

    /** Publishes every value as a system property so that conf/ can interpolate it. */
    public void publishAsSystemProperties() {
        values.forEach((setting, value) -> {
            if (setting != Setting.DB_PASSWORD && setting != Setting.LDAP_BIND_PASSWORD && setting != Setting.TLS_KEYSTORE_PASSWORD
                && setting != Setting.SMIME_MASTER_KEY && setting != Setting.OIDC_CLIENT_SECRET
                && setting != Setting.AUDIT_HASH_KEY && setting != Setting.QUEUE_PASSWORD) {
                System.setProperty(setting.property(), value);
            }
        });
    }
}
