package fr.mssante.operator.extensions.smtp;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.util.Optional;

import javax.inject.Inject;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.Hook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookResultHook;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.audit.AuditJournal;
import fr.mssante.operator.audit.AuditRecord;
import fr.mssante.operator.audit.AuditTypes;

/**
 * Audits every refusal an SMTP hook answers (MX and submission): one {@code SMTP_REFUSED} row with the reply code and
 * text (our server's words and the envelope address it concerns), the hook, the envelope sender, the peer's address
 * and, when the peer presented one, its certificate DN. Hooks that write their own, more precise row
 * ({@link AuditsItsRefusals}) and authentication (audited as {@code AUTH_FAILURE}) are not recorded twice. Each
 * accepted message carries the peer's certificate DN ({@link #PEER_CERTIFICATE}) to its {@code RECEIVED} row.
 *
 * <pre>{@code <handler class="fr.mssante.operator.extensions.smtp.RecordSmtpRefusals"/>}</pre>
 */
public class RecordSmtpRefusals implements HookResultHook, JamesMessageHook {
    /** The subject DN of the certificate the SMTP peer presented, on each message it sent: audited with RECEIVED. */
    public static final AttributeName PEER_CERTIFICATE = AttributeName.of("mss.peerCertificate");

    private static final Logger LOGGER = LoggerFactory.getLogger(RecordSmtpRefusals.class);

    private final AuditJournal journal;

    @Inject
    public RecordSmtpRefusals(AuditJournal journal) {
        this.journal = journal;
    }

    @Override
    public HookResult onHookResult(SMTPSession session, HookResult result, long executionTime, Hook hook) {
        HookReturnCode.Action action = result.getResult().getAction();
        boolean refused = action == HookReturnCode.Action.DENY || action == HookReturnCode.Action.DENYSOFT;
        if (refused && !(hook instanceof AuditsItsRefusals) && !(hook instanceof AuthHook)) {
            record(session, result, hook, action);
        }
        return result;
    }

    /** Accepted messages carry the peer's certificate DN to their RECEIVED row. */
    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        peerCertificate(session).ifPresent(dn ->
            mail.setAttribute(new Attribute(PEER_CERTIFICATE, AttributeValue.of(dn))));
        return HookResult.DECLINED;
    }

    private void record(SMTPSession session, HookResult result, Hook hook, HookReturnCode.Action action) {
        String sender = session.getAttachment(SMTPSession.SENDER, ProtocolSession.State.Transaction)
            .flatMap(MaybeSender::asOptional).map(Object::toString).orElse(null);
        String peer = Optional.ofNullable(session.getRemoteAddress()).map(address -> address.getAddress().getHostAddress())
            .orElse(null);
        String reply = Optional.ofNullable(result.getSmtpRetCode()).orElse(action == HookReturnCode.Action.DENY ? "550" : "451")
            + Optional.ofNullable(result.getSmtpDescription()).map(text -> " " + text).orElse("");
        String detail = "hook " + hook.getClass().getSimpleName()
            + Optional.ofNullable(session.getLocalAddress()).map(local -> ", port " + local.getPort()).orElse("")
            + peerCertificate(session).map(dn -> ", peer certificate " + dn).orElse("")
            + Optional.ofNullable(session.getUsername()).map(user -> ", authenticated " + user.asString()).orElse("");
        try {
            journal.append(AuditRecord.of(AuditTypes.SMTP_REFUSED).mailName("smtp-session-" + session.getSessionID())
                .sender(sender).mailbox(Optional.ofNullable(session.getUsername()).map(user -> user.asString()).orElse(null))
                .peer(peer).reason(reply).detail(detail));
        } catch (SQLException e) {
            LOGGER.error("Cannot audit an SMTP refusal of session {}", session.getSessionID(), e);
        }
    }

    private static Optional<String> peerCertificate(SMTPSession session) {
        if (!session.isTLSStarted()) {
            return Optional.empty();
        }
        return session.getSSLSession().flatMap(ssl -> {
            try {
                Certificate[] chain = ssl.getPeerCertificates();
                return chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    ? Optional.of(leaf.getSubjectX500Principal().getName())
                    : Optional.empty();
            } catch (SSLPeerUnverifiedException e) {
                return Optional.empty();
            }
        });
    }
}
