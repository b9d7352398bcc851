package fr.mssante.operator.trust.space;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.net.ssl.SSLSession;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.database.ScheduledRuns;
import fr.mssante.operator.trust.dn.DistinguishedName;
import fr.mssante.operator.trust.list.TrustList;
import fr.mssante.operator.trust.list.TrustListParser;
import fr.mssante.operator.trust.list.TrustListValidator;
import fr.mssante.operator.trust.pki.JdkHttpFetcher;
import fr.mssante.operator.trust.pki.PeerCertificateValidator;
import fr.mssante.operator.trust.pki.PeerValidationConfig;
import fr.mssante.operator.trust.pki.PeerValidationResult;
import fr.mssante.operator.trust.pki.Pem;
import fr.mssante.operator.trust.pki.Purpose;
import fr.mssante.operator.trust.policy.MessageOrigin;
import fr.mssante.operator.trust.policy.MessageOriginPolicy;
import fr.mssante.operator.trust.policy.PolicyDecision;
import fr.mssante.operator.trust.policy.TrustSpaceGate;
import fr.mssante.operator.trust.policy.TrustSpacePolicy;
import fr.mssante.operator.trust.refresh.TrustListRefresher;
import fr.mssante.operator.trust.source.TrustListSources;
import fr.mssante.operator.trust.store.JdbcTrustListStore;
import fr.mssante.operator.trust.store.RefreshRecord;

/**
 * The trust space as the mail server sees it: the liste blanche in force (kept fresh, last good copy in PostgreSQL),
 * the accepted roots, and the decisions for an inbound SMTP client and an outbound peer.
 */
public class TrustSpace implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(TrustSpace.class);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_LIST_BYTES = 64L * 1024 * 1024;

    private final TrustSpaceSettings settings;
    private final List<X509Certificate> roots;
    private final PeerCertificateValidator validator;
    private final TrustListRefresher refresher;
    private final JdbcTrustListStore store;
    private final TrustSpaceGate gate;
    private final MessageOriginPolicy originPolicy = new MessageOriginPolicy();
    private ScheduledExecutorService scheduler;
    private final ScheduledRuns runs;
    private final Clock clock;

    public TrustSpace(TrustSpaceSettings settings, DataSource dataSource, Clock clock) throws IOException {
        this.settings = settings;
        this.clock = clock;
        this.runs = new ScheduledRuns(dataSource, ScheduledRuns.thisNode());
        this.roots = Pem.readCertificates(settings.trustRoots());
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("No certificate in the trust roots file " + settings.trustRoots());
        }
        PeerValidationConfig validation = PeerValidationConfig.defaults(roots)
            .withCrlFiles(settings.crlFiles()).withFetchCrls(settings.fetchCrls()).withOcsp(settings.ocsp());
        this.validator = new PeerCertificateValidator(validation, clock, new JdkHttpFetcher(FETCH_TIMEOUT, MAX_LIST_BYTES));
        this.store = new JdbcTrustListStore(dataSource);
        this.refresher = new TrustListRefresher(
            TrustListSources.fromSetting(settings.trustList(), roots, FETCH_TIMEOUT, MAX_LIST_BYTES),
            new TrustListParser(MAX_LIST_BYTES), new TrustListValidator(settings.minRatio()), store, clock);
        this.gate = new TrustSpaceGate(validator, refresher, new TrustSpacePolicy());
    }

    /**
     * Loads the last good list, refreshes once (synchronously, so the MX never starts without a list when one can be
     * had), then every interval. A failed first refresh keeps the stored list. With several nodes (issue 18) each
     * interval's scheduled download runs on one node only ({@link ScheduledRuns}): the others load the list it stored
     * (the refresh at a node's start stays local: a node never starts on an older list than the one it had).
     */
    public synchronized void start() {
        boolean stored = refresher.loadFromStore();
        RefreshRecord first = refresher.refreshNow();
        LOGGER.info("Liste blanche: {} ({} entries in force, stored copy {})", first.outcome(),
            refresher.current().entryCount(), stored ? "loaded" : "absent");
        long interval = settings.refreshInterval().toMillis();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "trust-list-refresh");
            thread.setDaemon(true);
            return thread;
        });
        // the first refresh just ran: the schedule starts one interval later (the library's start() would refresh again now)
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                if (claim(interval)) {
                    refreshNow();
                } else {
                    refresher.loadFromStore();
                }
            } catch (RuntimeException e) {
                LOGGER.error("Trust-list refresh failed; next attempt in one interval", e);
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Whether this node refreshes in the current interval (always, when the database cannot say). */
    private boolean claim(long interval) {
        try {
            return runs.claim("trust-list-refresh", ScheduledRuns.periodic(clock.instant(), Duration.ofMillis(interval)));
        } catch (SQLException e) {
            LOGGER.warn("Cannot claim the trust-list refresh ({}); refreshing here", e.getMessage());
            return true;
        }
    }

    public RefreshRecord refreshNow() {
        return refreshNow(false);
    }

    /** Refreshes now; {@code acceptSmaller}: an operator accepts, this once, a list that shrank beyond the ratio. */
    public RefreshRecord refreshNow(boolean acceptSmaller) {
        validator.reloadCrlFiles();
        return refresher.refreshNow(acceptSmaller);
    }

    /** The latest refreshes, newest first (console, WebAdmin). */
    public List<RefreshRecord> recentRefreshes(int limit) {
        return store.recentRefreshes(limit);
    }

    public TrustList current() {
        return refresher.current();
    }

    public List<X509Certificate> roots() {
        return roots;
    }

    /** The decision at MAIL FROM for an SMTP client of our MX (session empty: no TLS). */
    public PolicyDecision inbound(String mailFromDomain, Optional<SSLSession> tls) {
        return tls.map(session -> gate.inbound(mailFromDomain, session))
            .orElseGet(() -> gate.inbound(mailFromDomain, false, null)).decision();
    }

    /** At MAIL FROM, before the certificate: a reverse-path of one of our domains never comes from outside. */
    public PolicyDecision ownDomainEnvelope(String mailFromDomain, Predicate<String> isOwnDomain) {
        return originPolicy.checkEnvelope(mailFromDomain, isOwnDomain);
    }

    /**
     * At the end of DATA: the message's From:/Sender: bound to the certificate of the session (already accepted at
     * MAIL FROM), the null reverse-path for reports only, none of our domains.
     */
    public PolicyDecision messageOrigin(MessageOrigin origin, Optional<SSLSession> tls,
                                        Predicate<String> isOwnDomain) {
        X509Certificate[] chain = tls.map(TrustSpaceGate::peerChain).orElse(new X509Certificate[0]);
        DistinguishedName presented = chain.length == 0 ? null : DistinguishedName.of(chain[0].getSubjectX500Principal());
        return originPolicy.checkMessage(origin, presented, refresher.current(), isOwnDomain);
    }

    /** May mail leave for this domain at all (before any connection)? */
    public PolicyDecision outboundDomain(String recipientDomain) {
        return gate.outboundDomain(recipientDomain);
    }

    /** The decision after the handshake with the MX of {@code recipientDomain}. */
    public PolicyDecision outbound(String recipientDomain, X509Certificate[] peerChain) {
        return gate.outbound(recipientDomain, peerChain).decision();
    }

    /**
     * Validates a professional's or application's client certificate (SASL EXTERNAL): chain to our roots, validity,
     * revocation, client-authentication usage. Empty when acceptable, else the reason.
     */
    public Optional<String> clientCertificateRefusal(X509Certificate[] chain) {
        PeerValidationResult result =
            validator.validate(chain, Purpose.TLS_CLIENT);
        return result.accepted() ? Optional.empty() : Optional.of(result.reason() + ": " + result.detail());
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
