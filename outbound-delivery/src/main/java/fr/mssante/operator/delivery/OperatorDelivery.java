package fr.mssante.operator.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.delivery.SmtpConnection.SmtpException;
import fr.mssante.operator.trust.policy.PolicyDecision;
import fr.mssante.operator.trust.tls.DeferredValidationTrustManager;
import fr.mssante.operator.trust.tls.PemKeyMaterial;

/**
 * Delivers a mail to other operators, domain by domain: only to liste-blanche domains, only over STARTTLS with our
 * client certificate, only to an MX whose certificate chains to the trust roots and whose DN is listed for that
 * domain. TLS sessions are pooled and reused. DSN parameters (RET, ENVID, NOTIFY, ORCPT) are passed on when the peer
 * supports DSN. Returns each recipient's outcome; retrying and bouncing are the caller's.
 */
public class OperatorDelivery implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(OperatorDelivery.class);

    private final OutboundSettings settings;
    private final OutboundTrust trust;
    private final MxResolver dns;
    private final SSLContext tls;
    private final ConnectionPool pool;

    public OperatorDelivery(OutboundSettings settings, OutboundTrust trust, MxResolver dns)
        throws IOException, GeneralSecurityException {
        this.settings = settings;
        this.trust = trust;
        this.dns = dns;
        try (InputStream chain = Files.newInputStream(settings.certificateChain());
             InputStream key = Files.newInputStream(settings.privateKey())) {
            this.tls = SSLContext.getInstance("TLS");
            // the peer's chain is checked against the trust roots and the liste blanche right after the handshake
            tls.init(PemKeyMaterial.keyManagers(chain, key), new DeferredValidationTrustManager[] {DeferredValidationTrustManager.ofServers()}, null);
        }
        this.pool = new ConnectionPool(settings.maxIdle().toNanos(), 1000, 4);
    }

    public OutboundStatistics statistics() {
        return pool.statistics();
    }

    public DeliveryResult deliver(OutboundMail mail) {
        List<String> delivered = new ArrayList<>();
        List<String> relayedWithoutDsn = new ArrayList<>();
        Map<String, SmtpReply> transientFailures = new LinkedHashMap<>();
        Map<String, SmtpReply> permanentFailures = new LinkedHashMap<>();
        Map<String, List<String>> byDomain = new LinkedHashMap<>();
        for (String recipient : mail.recipients()) {
            byDomain.computeIfAbsent(recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT),
                any -> new ArrayList<>()).add(recipient);
        }
        byDomain.forEach((domain, recipients) -> {
            PolicyDecision listed = trust.domain(domain);
            if (!listed.accepted()) {
                SmtpReply reply = new SmtpReply(listed.smtpCode(), listed.enhancedStatus() + " " + listed.text());
                recipients.forEach(recipient -> (reply.isTransient() ? transientFailures : permanentFailures).put(recipient, reply));
                return;
            }
            deliverToDomain(mail, domain, recipients, delivered, relayedWithoutDsn, transientFailures, permanentFailures);
        });
        return new DeliveryResult(delivered, transientFailures, permanentFailures, relayedWithoutDsn);
    }

    private void deliverToDomain(OutboundMail mail, String domain, List<String> recipients, List<String> delivered,
                                 List<String> relayedWithoutDsn, Map<String, SmtpReply> transientFailures, Map<String, SmtpReply> permanentFailures) {
        SmtpReply lastFailure = new SmtpReply(451, "4.4.4 no MX could be reached for " + domain);
        for (Route route : routes(domain)) {
            SmtpConnection connection;
            try {
                connection = connect(route);
            } catch (IOException e) {
                lastFailure = new SmtpReply(451, "4.4.1 cannot connect to " + route + ": " + e.getMessage());
                continue;
            } catch (SmtpException e) {
                lastFailure = e.reply();
                continue;
            }
            PolicyDecision peer = trust.peer(domain, connection.peerChain());
            if (!peer.accepted()) {
                connection.close();
                // a listing or certificate problem may be fixed on the peer's side or by the next liste blanche: retry
                lastFailure = new SmtpReply(450, "4.7.1 " + route + ": " + peer.text());
                LOGGER.warn("Refusing to deliver to {} for {}: {}", route, domain, peer.reason());
                continue;
            }
            transact(mail, recipients, connection, delivered, relayedWithoutDsn, transientFailures, permanentFailures);
            return;
        }
        SmtpReply failure = lastFailure;
        recipients.forEach(recipient -> (failure.isPermanent() ? permanentFailures : transientFailures).put(recipient, failure));
    }

    private void transact(OutboundMail mail, List<String> recipients, SmtpConnection connection, List<String> delivered,
                          List<String> relayedWithoutDsn, Map<String, SmtpReply> transientFailures, Map<String, SmtpReply> permanentFailures) {
        boolean dsn = connection.supports("DSN");
        try {
            StringBuilder mailParameters = new StringBuilder();
            if (connection.supports("SIZE")) {
                mailParameters.append(" SIZE=").append(mail.size());
            }
            if (dsn) {
                mail.ret().ifPresent(ret -> mailParameters.append(" RET=").append(ret));
                mail.envelopeId().ifPresent(envId -> mailParameters.append(" ENVID=").append(envId));
            }
            SmtpReply mailReply = connection.mailFrom(mail.reversePath(), mailParameters.toString());
            pool.transacted();
            if (!mailReply.isPositive()) {
                recipients.forEach(recipient -> record(recipient, mailReply, transientFailures, permanentFailures));
                pool.giveBack(connection);
                return;
            }
            List<String> accepted = new ArrayList<>();
            for (String recipient : recipients) {
                SmtpReply rcpt = connection.rcptTo(recipient, dsn ? rcptParameters(mail, recipient) : "");
                if (rcpt.isPositive()) {
                    accepted.add(recipient);
                } else {
                    record(recipient, rcpt, transientFailures, permanentFailures);
                }
            }
            if (accepted.isEmpty()) {
                pool.giveBack(connection);
                return;
            }
            SmtpReply data = connection.data(mail.message());
            if (data.isPositive()) {
                delivered.addAll(accepted);
                if (!dsn) {
                    relayedWithoutDsn.addAll(accepted);
                }
            } else {
                accepted.forEach(recipient -> record(recipient, data, transientFailures, permanentFailures));
            }
            pool.giveBack(connection);
        } catch (IOException | MessagingException | SmtpException e) {
            connection.close();
            SmtpReply broken = new SmtpReply(451, "4.4.2 connection to " + connection.route() + " lost: " + e.getMessage());
            recipients.stream().filter(recipient -> !delivered.contains(recipient) && !permanentFailures.containsKey(recipient))
                .forEach(recipient -> transientFailures.put(recipient, broken));
        }
    }

    private static String rcptParameters(OutboundMail mail, String recipient) {
        StringBuilder line = new StringBuilder();
        Optional.ofNullable(mail.recipientDsn().get(recipient)).ifPresent(rcpt -> {
            if (!rcpt.notifyTypes().isEmpty()) {
                line.append(" NOTIFY=").append(String.join(",", rcpt.notifyTypes()));
            }
            rcpt.orcpt().ifPresent(orcpt -> line.append(" ORCPT=rfc822;").append(orcpt));
        });
        return line.toString();
    }

    private static void record(String recipient, SmtpReply reply, Map<String, SmtpReply> transientFailures,
                               Map<String, SmtpReply> permanentFailures) {
        (reply.isPermanent() ? permanentFailures : transientFailures).put(recipient, reply);
    }

    private SmtpConnection connect(Route route) throws IOException, SmtpException {
        Optional<SmtpConnection> reused = pool.take(route);
        if (reused.isPresent()) {
            return reused.get();
        }
        SmtpConnection connection = SmtpConnection.open(route, settings.heloName(), tls, settings.timeout());
        pool.opened();
        return connection;
    }

    private List<Route> routes(String domain) {
        Route fixed = settings.routes().get(domain);
        if (fixed != null) {
            return List.of(fixed);
        }
        try {
            List<String> mxHosts = dns.mxHosts(domain);
            return mxHosts.stream().map(host -> new Route(host, 25)).toList();
        } catch (Exception e) {
            LOGGER.warn("MX lookup failed for {}: {}", domain, e.getMessage());
            return List.of();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
