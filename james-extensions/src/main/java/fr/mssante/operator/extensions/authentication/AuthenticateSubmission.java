package fr.mssante.operator.extensions.authentication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.AuthCmdHandler;

import fr.mssante.operator.authentication.Authentication;
import fr.mssante.operator.authentication.Purpose;
import fr.mssante.operator.authentication.SaslInitialResponse;

/**
 * SMTP AUTH for the submission listeners: XOAUTH2 and OAUTHBEARER (RFC 7628) checked by our {@link Authentication}
 * (issuer, audience, expiry, signature; the register decides the mailbox), EXTERNAL (RFC 4422) from the TLS client
 * certificate; PLAIN and LOGIN stay James's, through {@link CheckSubmissionPassword}. Every mechanism needs TLS.
 */
public class AuthenticateSubmission extends AuthCmdHandler {
    private static final String XOAUTH2 = "XOAUTH2";
    private static final String OAUTHBEARER = "OAUTHBEARER";
    private static final String EXTERNAL = "EXTERNAL";
    private static final Response ENCRYPTION_REQUIRED = new SMTPResponse("538", "5.7.11 Encryption required for requested authentication mechanism").immutable();
    private static final Response ALREADY = new SMTPResponse("503", "5.5.1 Already authenticated").immutable();
    private static final Response CREDENTIALS_INVALID = new SMTPResponse("535", "5.7.8 Authentication credentials invalid").immutable();
    private static final Response ABORTED = new SMTPResponse("501", "5.7.0 Authentication aborted").immutable();
    private static final String INVALID_TOKEN = Base64.getEncoder().encodeToString(
        "{\"status\":\"invalid_token\",\"schemes\":\"bearer\"}".getBytes(StandardCharsets.US_ASCII));

    private final Authentication authentication;

    @Inject
    public AuthenticateSubmission(Authentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        String argument = Optional.ofNullable(request.getArgument()).orElse("").trim();
        String[] parts = argument.split(" ", 2);
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        Optional<String> initial = parts.length > 1 ? Optional.of(parts[1].trim()) : Optional.empty();
        if (!List.of(XOAUTH2, OAUTHBEARER, EXTERNAL).contains(mechanism)) {
            return super.onCommand(session, request);
        }
        if (session.getUsername() != null) {
            return ALREADY;
        }
        if (session.getSSLSession().isEmpty()) {
            return ENCRYPTION_REQUIRED;
        }
        if (initial.isPresent()) {
            return complete(session, mechanism, initial.get());
        }
        session.pushLineHandler(new LineHandler<SMTPSession>() {
            @Override
            public Response onLine(SMTPSession lineSession, byte[] line) {
                lineSession.popLineHandler();
                String response = new String(line, StandardCharsets.US_ASCII).trim();
                return response.equals("*") ? ABORTED : complete(lineSession, mechanism, response);
            }
        });
        return new SMTPResponse("334", "");
    }

    private Response complete(SMTPSession session, String mechanism, String response) {
        String remote = remote(session);
        Authentication.Outcome outcome = switch (mechanism) {
            case XOAUTH2 -> authentication.token("SMTP", mechanism, SaslInitialResponse.parseXoauth2(response), Purpose.SEND, remote);
            case OAUTHBEARER -> authentication.token("SMTP", mechanism, SaslInitialResponse.parseOauthBearer(response), Purpose.SEND, remote);
            default -> authentication.certificate("SMTP", session.getSSLSession(), SaslInitialResponse.parseExternal(response), remote);
        };
        if (outcome.success()) {
            session.setUsername(Username.of(outcome.mailbox().orElseThrow()));
            session.setRelayingAllowed(true);
            SessionActor.set(session, outcome.principal().orElseThrow());
            return new SMTPResponse("235", "2.7.0 Authentication successful");
        }
        // the reason (register details: which mailbox, which role, why the certificate failed) is in the audit trail only
        Response failure = CREDENTIALS_INVALID;
        if (mechanism.equals(EXTERNAL)) {
            return failure;
        }
        // RFC 7628 §3.2.2: the failure is an error challenge; the client answers with %x01, then the final reply.
        session.pushLineHandler(new LineHandler<SMTPSession>() {
            @Override
            public Response onLine(SMTPSession lineSession, byte[] line) {
                lineSession.popLineHandler();
                return failure;
            }
        });
        return new SMTPResponse("334", INVALID_TOKEN);
    }

    @Override
    public List<String> getImplementedEsmtpFeatures(SMTPSession session) {
        if (!session.isAuthAnnounced()) {
            return Collections.emptyList();
        }
        List<String> mechanisms = new ArrayList<>();
        if (session.getConfiguration().isPlainAuthEnabled()) {
            mechanisms.add("PLAIN");
            mechanisms.add("LOGIN");
        }
        if (session.getSSLSession().isPresent()) {
            if (authentication.tokensEnabled()) {
                mechanisms.add(XOAUTH2);
                mechanisms.add(OAUTHBEARER);
            }
            mechanisms.add(EXTERNAL);
        }
        if (mechanisms.isEmpty()) {
            return Collections.emptyList();
        }
        String joined = String.join(" ", mechanisms);
        return List.of("AUTH " + joined, "AUTH=" + joined);
    }

    static String remote(SMTPSession session) {
        return Optional.ofNullable(session.getRemoteAddress()).map(address -> address.getAddress().getHostAddress()).orElse(null);
    }
}
