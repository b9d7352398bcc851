package fr.mssante.operator.extensions.authentication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.AuthenticateRequest;
import org.apache.james.imap.message.request.IRAuthenticateRequest;
import org.apache.james.imap.message.response.AuthenticateResponse;
import org.apache.james.imap.processor.AuthenticateProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.metrics.api.MetricFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.authentication.Authentication;
import fr.mssante.operator.authentication.Purpose;
import fr.mssante.operator.authentication.SaslInitialResponse;

/**
 * IMAP AUTHENTICATE with our mechanisms: XOAUTH2 and OAUTHBEARER checked by {@link Authentication} (the register
 * picks the mailbox: the authorisation identity when given — a co-holder or delegate opening a shared or delegated
 * mailbox — else the identity's own), and EXTERNAL from the TLS client certificate. PLAIN stays James's (through our
 * {@code Authenticator} and {@code Authorizator} bindings: a password opens its own mailbox only, an authorisation
 * identity naming another mailbox is refused). Everything needs TLS. Refusals answer James's generic NO; the reason is
 * in the audit trail.
 */
public class AuthenticateImapSession extends AuthenticateProcessor {
    private static final Logger LOGGER = LoggerFactory.getLogger(AuthenticateImapSession.class);
    private static final List<String> OURS = List.of("XOAUTH2", "OAUTHBEARER", "EXTERNAL");

    private final Authentication authentication;

    @Inject
    public AuthenticateImapSession(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory,
                                   Authentication authentication) {
        super(mailboxManager, factory, metricFactory);
        this.authentication = authentication;
    }

    @Override
    protected void processRequest(AuthenticateRequest request, ImapSession session, Responder responder) {
        String mechanism = request.getAuthType().toUpperCase(Locale.ROOT);
        if (!OURS.contains(mechanism)) {
            ImapClientAddress.during(session, () -> super.processRequest(request, session, responder));
            return;
        }
        if (!session.isTLSActive()) {
            no(request, responder, HumanReadableText.DISABLED_LOGIN);
            return;
        }
        if (request instanceof IRAuthenticateRequest initial) {
            complete(mechanism, initial.getInitialClientResponse(), session, request, responder);
            return;
        }
        session.executeSafely(() -> {
            responder.respond(new AuthenticateResponse());
            responder.flush();
            session.pushLineHandler((lineSession, data) -> {
                lineSession.popLineHandler();
                String line = new String(data, 0, Math.max(0, data.length - 2), StandardCharsets.US_ASCII);
                complete(mechanism, line, lineSession, request, responder);
                responder.flush();
            });
        });
    }

    /** PLAIN sent after a continuation: James's, with the client address passed to our password check. */
    @Override
    protected void doPlainAuth(String initialClientResponse, ImapSession session, ImapRequest request, Responder responder) {
        ImapClientAddress.during(session, () -> super.doPlainAuth(initialClientResponse, session, request, responder));
    }

    private void complete(String mechanism, String response, ImapSession session, ImapRequest request, Responder responder) {
        String remote = ImapClientAddress.of(session).orElse(null);
        Authentication.Outcome outcome = switch (mechanism) {
            case "XOAUTH2" -> authentication.token("IMAP", mechanism, SaslInitialResponse.parseXoauth2(response), Purpose.READ, remote);
            case "OAUTHBEARER" -> authentication.token("IMAP", mechanism, SaslInitialResponse.parseOauthBearer(response), Purpose.READ, remote);
            default -> authentication.certificate("IMAP", session.getSSLSession(), SaslInitialResponse.parseExternal(response), remote);
        };
        if (!outcome.success()) {
            // James's generic "AUTHENTICATE failed": the reason is in the audit trail only
            manageFailureCount(session, request, responder);
            return;
        }
        Username mailbox = Username.of(outcome.mailbox().orElseThrow());
        if (!outcome.mayModify()) {
            session.setAttribute(ReadOnlyDelegateGuard.READ_ONLY, Boolean.TRUE);
        }
        authSuccess(mailbox, session, request, responder);
        try {
            provisionInbox(session, getMailboxManager(), session.getMailboxSession());
        } catch (MailboxException e) {
            LOGGER.warn("Could not provision the INBOX of {}", authentication.forLog(mailbox.asString()), e);
        }
        session.stopDetectingCommandInjection();
    }

    @Override
    public List<Capability> getImplementedCapabilities(ImapSession session) {
        List<Capability> capabilities = new ArrayList<>(super.getImplementedCapabilities(session));
        if (session.isTLSActive()) {
            if (authentication.tokensEnabled()) {
                capabilities.add(Capability.of("AUTH=XOAUTH2"));
                capabilities.add(Capability.of("AUTH=OAUTHBEARER"));
            }
            capabilities.add(Capability.of("AUTH=EXTERNAL"));
        }
        return List.copyOf(capabilities);
    }

    /** For subclasses and tests: the mechanisms this processor handles itself. */
    static Optional<String> ours(String mechanism) {
        return OURS.stream().filter(known -> known.equalsIgnoreCase(mechanism)).findFirst();
    }
}
