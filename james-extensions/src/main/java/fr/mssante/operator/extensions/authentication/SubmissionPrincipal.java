package fr.mssante.operator.extensions.authentication;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

import fr.mssante.operator.authentication.AuthenticatedPrincipal;

/**
 * The {@link AuthenticatedPrincipal} of the submission session that brought a mail, carried on the mail as the
 * {@value #ATTRIBUTE} attribute for the pipeline's decisions about who acts (the DMP filing's author). Set only by our
 * submission hooks ({@link CheckSenderAuthorisation}, at the end of DATA, from the session; never from anything the
 * client sends); removed from mail arriving over the MX ({@link ForgetSubmissionPrincipal}); read back only when it
 * agrees with the mail's authenticated user ({@code org.apache.james.SMTPAuthUser}), so a mail without an
 * authenticated submission never has one.
 */
public final class SubmissionPrincipal {
    public static final String ATTRIBUTE = "mss.submission.principal";
    public static final AttributeName NAME = AttributeName.of(ATTRIBUTE);
    private static final String PROOF = "proof";
    private static final String SESSION = "session";
    private static final String MAILBOX = "mailbox";
    private static final String PERSON = "person";

    private SubmissionPrincipal() {
    }

    /** Records how the session that submitted {@code mail} as {@code sessionMailbox} was proven (replacing any value). */
    public static void attach(Mail mail, AuthenticatedPrincipal principal, String sessionMailbox) {
        Map<String, AttributeValue<?>> value = new LinkedHashMap<>();
        value.put(PROOF, AttributeValue.of(principal.proof().name()));
        value.put(SESSION, AttributeValue.of(key(sessionMailbox)));
        if (principal instanceof AuthenticatedPrincipal.MailboxCredential credential) {
            value.put(MAILBOX, AttributeValue.of(credential.mailbox()));
        } else if (principal instanceof AuthenticatedPrincipal.CitizenGateway gateway) {
            value.put(MAILBOX, AttributeValue.of(gateway.citizen()));
            value.put(PERSON, AttributeValue.of(gateway.gateway()));
        } else {
            value.put(PERSON, AttributeValue.of(((AuthenticatedPrincipal.Person) principal).identity()));
        }
        mail.setAttribute(new Attribute(NAME, AttributeValue.of(value)));
    }

    /** Removes the attribute; whether there was one. */
    public static boolean remove(Mail mail) {
        return mail.removeAttribute(NAME).isPresent();
    }

    /**
     * The principal that submitted {@code mail}: empty when there is none, when it is malformed, or when it does not
     * belong to the mail's authenticated user.
     */
    public static Optional<AuthenticatedPrincipal> of(Mail mail) {
        Optional<Attribute> attribute = mail.getAttribute(NAME);
        if (attribute.isEmpty() || !(attribute.get().getValue().getValue() instanceof Map<?, ?> raw)) {
            return Optional.empty();
        }
        Optional<String> authUser = mail.getAttribute(Mail.SMTP_AUTH_USER).map(a -> a.getValue().getValue())
            .filter(String.class::isInstance).map(String.class::cast).map(SubmissionPrincipal::key);
        Optional<String> proof = text(raw, PROOF);
        Optional<String> session = text(raw, SESSION);
        if (authUser.isEmpty() || proof.isEmpty() || !session.equals(authUser)) {
            return Optional.empty();
        }
        try {
            AuthenticatedPrincipal.Proof how = AuthenticatedPrincipal.Proof.valueOf(proof.get());
            Optional<String> mailbox = text(raw, MAILBOX);
            Optional<String> person = text(raw, PERSON);
            if (how == AuthenticatedPrincipal.Proof.ACCESS_TOKEN) {
                return person.filter(id -> !id.isBlank()).map(id -> new AuthenticatedPrincipal.Person(id, how));
            }
            if (how == AuthenticatedPrincipal.Proof.GATEWAY_CERTIFICATE) {
                return mailbox.flatMap(citizen -> person.map(gateway -> new AuthenticatedPrincipal.CitizenGateway(citizen, gateway)));
            }
            return mailbox.map(address -> new AuthenticatedPrincipal.MailboxCredential(address, how));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(Map<?, ?> raw, String name) {
        return Optional.ofNullable(raw.get(name)).filter(AttributeValue.class::isInstance)
            .map(value -> ((AttributeValue<?>) value).getValue()).filter(String.class::isInstance).map(String.class::cast);
    }

    private static String key(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
