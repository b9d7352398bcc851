package fr.mssante.operator.extensions.trustspace;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.smtp.AuditsItsRefusals;
import fr.mssante.operator.trust.policy.PolicyDecision;
import fr.mssante.operator.trust.policy.PolicyReason;
import fr.mssante.operator.trust.space.TrustSpace;

/**
 * The trust-space gate of the MX, at MAIL FROM: TLS is mandatory, the client certificate must chain to the
 * accepted roots, be valid and not revoked, and its subject DN must be listed with the MAIL FROM domain in the
 * liste blanche; a reverse-path in one of our own domains never comes from outside. Each refusal is a clear SMTP
 * reply and an audit record ({@code TRUST_SPACE_REFUSED}). {@link CheckMessageOrigin} binds the headers at DATA end.
 *
 * <pre>{@code <handler class="fr.mssante.operator.extensions.trustspace.CheckOperatorCertificate"/>}</pre>
 */
public class CheckOperatorCertificate implements MailHook, AuditsItsRefusals {
    private static final Logger LOGGER = LoggerFactory.getLogger(CheckOperatorCertificate.class);

    private final TrustSpace trustSpace;
    private final MessageEventLog audit;
    private final DomainList domains;

    @Inject
    public CheckOperatorCertificate(TrustSpace trustSpace, MessageEventLog audit, DomainList domains) {
        this.trustSpace = trustSpace;
        this.audit = audit;
        this.domains = domains;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        String domain = sender.asOptional().map(address -> address.getDomain().asString()).orElse("");
        PolicyDecision decision;
        try {
            decision = trustSpace.ownDomainEnvelope(domain, new LocalDomains(domains));
        } catch (LocalDomains.Unavailable e) {
            LOGGER.warn("Domain list unavailable at MAIL FROM of session {}", session.getSessionID(), e);
            decision = new PolicyDecision(false, PolicyReason.TRUST_LIST_UNAVAILABLE, 451, "4.3.0",
                "local domains not available, try again later");
        }
        if (decision.accepted()) {
            decision = trustSpace.inbound(domain, session.isTLSStarted() ? session.getSSLSession() : Optional.empty());
        }
        if (decision.accepted()) {
            return HookResult.DECLINED;
        }
        record(session, sender, decision);
        return HookResult.builder()
            .hookReturnCode(decision.smtpCode() >= 500 ? HookReturnCode.deny() : HookReturnCode.denySoft())
            .smtpReturnCode(String.valueOf(decision.smtpCode()))
            .smtpDescription(decision.enhancedStatus() + " " + decision.text())
            .build();
    }

    private void record(SMTPSession session, MaybeSender sender, PolicyDecision decision) {
        try {
            audit.append(new MessageEvent("TRUST_SPACE_REFUSED", "smtp-session-" + session.getSessionID(), Optional.empty(),
                sender.asOptional().map(Object::toString), List.of(),
                Optional.ofNullable(session.getRemoteAddress()).map(address -> address.getAddress().getHostAddress()),
                0, Optional.of(decision.reason() + ": " + decision.text())));
        } catch (SQLException e) {
            LOGGER.error("Cannot audit a trust-space refusal ({}) of session {}", decision.reason(), session.getSessionID(), e);
        }
        LOGGER.info("Trust space refused session {}: {} {}", session.getSessionID(), decision.smtpCode(), decision.reason());
    }
}
