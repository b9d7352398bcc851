package fr.mssante.operator.server.settings;

/**
 * Every deployment setting of the server. Each is read from the system property {@link #property()}, else the
 * environment variable {@link #environmentVariable()}, else its development default. The resolved values are
 * published as system properties, which the reference configuration in {@code conf/} interpolates as
 * {@code ${sys:mss.…}}. docs/configuration.md tables them.
 */
public enum Setting {
    MODE("MSS_MODE", "mss.mode", "development"),
    BIND_ADDRESS("MSS_BIND_ADDRESS", "mss.bind.address", "127.0.0.1"),
    SMTP_MX_PORT("MSS_SMTP_MX_PORT", "mss.smtp.mx.port", "10025"),
    SUBMISSION_PORT("MSS_SUBMISSION_PORT", "mss.submission.port", "10587"),
    SUBMISSIONS_PORT("MSS_SUBMISSIONS_PORT", "mss.submissions.port", "10465"),
    IMAP_PORT("MSS_IMAP_PORT", "mss.imap.port", "10143"),
    IMAPS_PORT("MSS_IMAPS_PORT", "mss.imaps.port", "10993"),
    WEBADMIN_HOST("MSS_WEBADMIN_HOST", "mss.webadmin.host", "127.0.0.1"),
    WEBADMIN_PORT("MSS_WEBADMIN_PORT", "mss.webadmin.port", "18000"),
    WEBADMIN_JWT_PUBLIC_KEY("MSS_WEBADMIN_JWT_PUBLIC_KEY", "mss.webadmin.jwt.publicKey", "var/dev/webadmin-jwt-public.pem"),
    TLS_CERTIFICATE("MSS_TLS_CERTIFICATE", "mss.tls.certificate", "var/dev/pki/server-chain.pem"),
    TLS_PRIVATE_KEY("MSS_TLS_PRIVATE_KEY", "mss.tls.privateKey", "var/dev/pki/server-key.pem"),
    TLS_KEYSTORE_PASSWORD("MSS_TLS_KEYSTORE_PASSWORD", "mss.tls.keystorePassword", ""),
    TRUST_ROOTS("MSS_TRUST_ROOTS", "mss.trust.roots", "var/dev/pki/ca.pem"),
    TRUST_LIST("MSS_TRUST_LIST", "mss.trust.list", "var/dev/liste-blanche.xml"),
    TRUST_LIST_REFRESH("MSS_TRUST_LIST_REFRESH", "mss.trust.list.refresh", "PT1H"),
    TRUST_LIST_MIN_RATIO("MSS_TRUST_LIST_MIN_RATIO", "mss.trust.list.minRatio", "0.9"),
    TRUST_CRL_FILES("MSS_TRUST_CRL_FILES", "mss.trust.crlFiles", "var/dev/pki/ca-crl.pem"),
    TRUST_FETCH_CRLS("MSS_TRUST_FETCH_CRLS", "mss.trust.fetchCrls", "true"),
    TRUST_OCSP("MSS_TRUST_OCSP", "mss.trust.ocsp", "true"),
    DEMO_DOMAIN("MSS_DEMO_DOMAIN", "mss.demo.domain", "demo.mss.test"),
    DIRECTORY_SOURCES("MSS_DIRECTORY_SOURCES", "mss.directory.sources", ""),
    DIRECTORY_IMPORT_TIME("MSS_DIRECTORY_IMPORT_TIME", "mss.directory.importTime", "03:30"),
    DIRECTORY_DOWNLOAD_MAX_BYTES("MSS_DIRECTORY_DOWNLOAD_MAX_BYTES", "mss.directory.download.maxBytes", "1073741824"),
    /* Issue 17: read here, not with System.getenv in the routes and the daily job. */
    DIRECTORY_DEPUBLISH_AFTER("MSS_DIRECTORY_DEPUBLISH_AFTER", "mss.directory.depublishAfter", "P12M"),
    LDAP_PORT("MSS_LDAP_PORT", "mss.ldap.port", "10389"),
    LDAPS_PORT("MSS_LDAPS_PORT", "mss.ldaps.port", "10636"),
    LDAP_BASE_DN("MSS_LDAP_BASE_DN", "mss.ldap.baseDn", "ou=annuaire,dc=mssante,dc=fr"),
    LDAP_BIND_DN("MSS_LDAP_BIND_DN", "mss.ldap.bindDn", "cn=annuaire,dc=mssante,dc=fr"),
    LDAP_BIND_PASSWORD("MSS_LDAP_BIND_PASSWORD", "mss.ldap.bindPassword", ""),
    /* Issue 12 #6/#13: what one LDAP client may send before and after binding. */
    LDAP_MAX_MESSAGE_BYTES("MSS_LDAP_MAX_MESSAGE_BYTES", "mss.ldap.maxMessageBytes", "262144"),
    LDAP_MAX_NESTING_DEPTH("MSS_LDAP_MAX_NESTING_DEPTH", "mss.ldap.maxNestingDepth", "32"),
    LDAP_MAX_CONNECTIONS_PER_ADDRESS("MSS_LDAP_MAX_CONNECTIONS_PER_ADDRESS", "mss.ldap.maxConnectionsPerAddress", "32"),
    SMIME_ROOTS("MSS_SMIME_ROOTS", "mss.smime.roots", ""),
    SMIME_MASTER_KEY("MSS_SMIME_MASTER_KEY", "mss.smime.masterKey", ""),
    /* The audit trail: the key hashing patient addresses (base64, >= 32 bytes; dev: var/dev/audit-hash.key) and the
       retention (ISO-8601 period such as P1Y, or a number of days). */
    AUDIT_HASH_KEY("MSS_AUDIT_HASH_KEY", "mss.audit.hashKey", ""),
    AUDIT_RETENTION("MSS_AUDIT_RETENTION", "mss.audit.retention", "P1Y"),
    SMIME_OPERATOR_KEY_OWNER("MSS_SMIME_OPERATOR_KEY_OWNER", "mss.smime.operatorKeyOwner", ""),
    HELO_NAME("MSS_HELO_NAME", "mss.helo.name", "localhost"),
    /* From: of the reports (DSNs) we send; empty = postmaster@ the demo domain in development, in production
       postmaster@ the first domain we host (issue 12 #4: other operators bind a report's From: to our certificate). */
    POSTMASTER("MSS_POSTMASTER", "mss.postmaster", ""),
    OUTBOUND_ROUTES("MSS_OUTBOUND_ROUTES", "mss.outbound.routes", ""),
    OUTBOUND_DELAYS("MSS_OUTBOUND_DELAYS", "mss.outbound.delays", "PT5M,PT5M,PT5M,PT30M,PT30M,PT30M,PT2H,PT2H,PT2H,PT2H,PT4H"),
    OUTBOUND_MAX_ATTEMPTS("MSS_OUTBOUND_MAX_ATTEMPTS", "mss.outbound.maxAttempts", "15"),
    OUTBOUND_TIMEOUT("MSS_OUTBOUND_TIMEOUT", "mss.outbound.timeout", "PT60S"),
    OUTBOUND_MAX_IDLE("MSS_OUTBOUND_MAX_IDLE", "mss.outbound.maxIdle", "PT60S"),
    DB_URL("MSS_DB_URL", "mss.db.url", ""),
    DB_USER("MSS_DB_USER", "mss.db.user", "mss"),
    DB_PASSWORD("MSS_DB_PASSWORD", "mss.db.password", ""),
    DB_EMBEDDED_PORT("MSS_DB_EMBEDDED_PORT", "mss.db.embedded.port", "15432"),
    /* Scale-out (issue 18): empty queue URL = the embedded broker (one node); set = the nodes share the queues of one
       external ActiveMQ broker (OpenWire URL, e.g. failover:(tcp://broker:61616)); events URL defaults to it. */
    QUEUE_URL("MSS_QUEUE_URL", "mss.queue.url", ""),
    QUEUE_USER("MSS_QUEUE_USER", "mss.queue.user", ""),
    QUEUE_PASSWORD("MSS_QUEUE_PASSWORD", "mss.queue.password", ""),
    EVENTS_URL("MSS_EVENTS_URL", "mss.events.url", ""),
    NODE_NAME("MSS_NODE_NAME", "mss.node.name", ""),
    /* Behind a TCP front (issue 18): SMTP and IMAP listeners read the client's address from the PROXY protocol (v1/v2);
       only the listed fronts (IP addresses, CIDR ranges) may connect, and each must send the header. */
    PROXY_PROTOCOL("MSS_PROXY_PROTOCOL", "mss.proxy.protocol", "false"),
    PROXY_TRUSTED("MSS_PROXY_TRUSTED", "mss.proxy.trusted", ""),
    /* Issue 16 #4 (power loss): the embedded PostgreSQL's synchronous_commit, on (a commit returns once its WAL is on
       disk) or off (io.zonky's default: a power loss may forget the last commits; faster); local is on. */
    DB_SYNCHRONOUS_COMMIT("MSS_DB_SYNCHRONOUS_COMMIT", "mss.db.synchronousCommit", "on"),
    /* Professionals' access (issue 4). Empty issuer in development = the built-in development issuer. */
    OIDC_ISSUER("MSS_OIDC_ISSUER", "mss.oidc.issuer", ""),
    OIDC_AUDIENCE("MSS_OIDC_AUDIENCE", "mss.oidc.audience", ""),
    OIDC_JWKS_URL("MSS_OIDC_JWKS_URL", "mss.oidc.jwksUrl", ""),
    OIDC_INTROSPECTION_URL("MSS_OIDC_INTROSPECTION_URL", "mss.oidc.introspectionUrl", ""),
    OIDC_CLIENT_ID("MSS_OIDC_CLIENT_ID", "mss.oidc.clientId", ""),
    OIDC_CLIENT_SECRET("MSS_OIDC_CLIENT_SECRET", "mss.oidc.clientSecret", ""),
    OIDC_IDENTITY_CLAIM("MSS_OIDC_IDENTITY_CLAIM", "mss.oidc.identityClaim", "SubjectNameID"),
    OIDC_DEV_PORT("MSS_OIDC_DEV_PORT", "mss.oidc.dev.port", "18091"),
    PASSWORD_LOGIN("MSS_PASSWORD_LOGIN", "mss.password.login", "PASSWORD"),
    /* Password-login throttle (issue 12): growing delays per (source address, login) and per source address. */
    LOGIN_FREE_FAILURES("MSS_LOGIN_FREE_FAILURES", "mss.login.freeFailures", "5"),
    LOGIN_SOURCE_FREE_FAILURES("MSS_LOGIN_SOURCE_FREE_FAILURES", "mss.login.sourceFreeFailures", "20"),
    LOGIN_FIRST_DELAY("MSS_LOGIN_FIRST_DELAY", "mss.login.firstDelay", "PT1S"),
    LOGIN_MAX_DELAY("MSS_LOGIN_MAX_DELAY", "mss.login.maxDelay", "PT15M"),
    LOGIN_FORGET_AFTER("MSS_LOGIN_FORGET_AFTER", "mss.login.forgetAfter", "PT24H"),
    AUTOCONFIG_PORT("MSS_AUTOCONFIG_PORT", "mss.autoconfig.port", "18080"),
    PUBLIC_HOSTNAME("MSS_PUBLIC_HOSTNAME", "mss.public.hostname", "localhost"),
    /* The one message-size limit of every way in: SMTP MX and submission (maxmessagesize), IMAP APPEND (APPENDLIMIT). */
    MAX_MESSAGE_SIZE("MSS_MAX_MESSAGE_SIZE", "mss.message.maxSize", "36M"),
    /* Issue 16 #4: SMTP answers 452 4.3.1 while var/store has less than this usable (bytes, or K/M/G; 0 = no check). */
    MIN_FREE_SPACE("MSS_MIN_FREE_SPACE", "mss.storage.minFreeSpace", "256M"),
    /* Documents (issue 7). Empty clamd address in development = no antivirus (warned at start). */
    CLAMD_ADDRESS("MSS_CLAMD_ADDRESS", "mss.clamd.address", ""),
    ANTIVIRUS_RETRY("MSS_ANTIVIRUS_RETRY", "mss.antivirus.retry", "PT1M"),
    /* A mailet failed because PostgreSQL was unreachable: the mail waits in the spool this long, then that processor again. */
    DATABASE_RETRY("MSS_DATABASE_RETRY", "mss.database.retry", "PT30S"),
    DMP_STANDIN_PORT("MSS_DMP_STANDIN_PORT", "mss.dmp.standin.port", "18090"),
    /* Which INS OIDs are real: PRODUCTION (default in production mode), TEST (development default) or DEMO. */
    INS_ENVIRONMENT("MSS_INS_ENVIRONMENT", "mss.ins.environment", ""),
    /* Network limits (issue 12): per source address and per listener, 0 = no limit. */
    IMAP_CONNECTIONS_PER_ADDRESS("MSS_IMAP_CONNECTIONS_PER_ADDRESS", "mss.imap.connectionsPerAddress", "50"),
    IMAP_MAX_CONNECTIONS("MSS_IMAP_MAX_CONNECTIONS", "mss.imap.maxConnections", "2000"),
    SMTP_CONNECTIONS_PER_ADDRESS("MSS_SMTP_CONNECTIONS_PER_ADDRESS", "mss.smtp.connectionsPerAddress", "50"),
    SMTP_MAX_CONNECTIONS("MSS_SMTP_MAX_CONNECTIONS", "mss.smtp.maxConnections", "500"),
    /* Largest IMAP literal once authenticated (bytes; before authentication: 8 KiB, fixed). */
    IMAP_SEARCH_TIMEOUT("MSS_IMAP_SEARCH_TIMEOUT", "mss.imap.searchTimeout", "PT30S"),
    IMAP_SEARCH_CONCURRENCY("MSS_IMAP_SEARCH_CONCURRENCY", "mss.imap.searchConcurrency", "4"),
    IMAP_SEARCH_INDEX("MSS_IMAP_SEARCH_INDEX", "mss.imap.searchIndex", "true"),
    MIME_MAX_DEPTH("MSS_MIME_MAX_DEPTH", "mss.mime.maxDepth", "32"),
    SHUTDOWN_TIMEOUT("MSS_SHUTDOWN_TIMEOUT", "mss.shutdown.timeout", "PT30S"),
    /* Citizen messaging (issue 15). Empty patient domains = patient.mss.test (served) and patient.mssante.fr (relayed)
       in development, patient.mssante.fr in production; empty certificate subject = the development PKI's
       health-space certificate in development, no health space in production. */
    PATIENT_DOMAINS("MSS_PATIENT_DOMAINS", "mss.patient.domains", ""),
    CITIZEN_PHARMACY_MAILBOXES("MSS_CITIZEN_PHARMACY_MAILBOXES", "mss.citizen.pharmacyMailboxes", ""),
    CITIZEN_PHARMACY_WINDOW("MSS_CITIZEN_PHARMACY_WINDOW", "mss.citizen.pharmacyWindow", "P30D"),
    HEALTH_SPACE_URL("MSS_HEALTH_SPACE_URL", "mss.healthSpace.url", "http://127.0.0.1:18081/"),
    HEALTH_SPACE_CERT_DN("MSS_HEALTH_SPACE_CERT_DN", "mss.healthSpace.certDn", "");

    private final String environmentVariable;
    private final String property;
    private final String developmentDefault;

    Setting(String environmentVariable, String property, String developmentDefault) {
        this.environmentVariable = environmentVariable;
        this.property = property;
        this.developmentDefault = developmentDefault;
    }

    public String environmentVariable() {
        return environmentVariable;
    }

    public String property() {
        return property;
    }

    public String developmentDefault() {
        return developmentDefault;
    }

    /** Both names, for error messages. */
    public String names() {
        return environmentVariable + " (system property " + property + ")";
    }
}
