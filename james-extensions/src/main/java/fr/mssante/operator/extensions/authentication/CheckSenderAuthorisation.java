package fr.mssante.operator.extensions.authentication;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;

import fr.mssante.operator.authentication.AuthenticatedPrincipal;
import fr.mssante.operator.authentication.Authentication;

/**
 * Send-as rules of submission: no MAIL before AUTH ({@code 530 5.7.0}); an authenticated session may use, as MAIL FROM
 * and in From:, only what its {@link AuthenticatedPrincipal} covers: a mailbox's password or certificate covers that
 * mailbox alone; a person identified by an access token covers the mailboxes they hold, co-hold or are delegated to send
 * for (DELEGATE_SEND). Otherwise {@code 550 5.7.1} with the reason. A message
 * sent for another mailbox carries that mailbox in From: and the session's own mailbox in Sender: (added when absent,
 * corrected when it names someone else), so that the recipient sees who really wrote. An accepted message carries the
 * session's principal as {@value SubmissionPrincipal#ATTRIBUTE} ({@link SubmissionPrincipal}), set here from the session
 * only, for the pipeline's decisions about who acts (the DMP filing's author).
 *
 * <pre>{@code <handler class="fr.mssante.operator.extensions.authentication.CheckSenderAuthorisation"/>}</pre>
 */
public class CheckSenderAuthorisation implements MailHook, JamesMessageHook {
    private final Authentication authentication;

    @Inject
    public CheckSenderAuthorisation(Authentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (session.getUsername() == null) {
            // submission never takes anonymous mail (RFC 4954 §6): refused at MAIL already, whatever the sender
            return HookResult.builder().hookReturnCode(HookReturnCode.deny()).smtpReturnCode("530")
                .smtpDescription("5.7.0 Authentication required").build();
        }
        if (sender.isNullSender()) {
            return deny("5.7.1 An empty reverse path is not accepted on submission");
        }
        return authentication.sendRefusal(principal(session), session.getUsername().asString(), sender.get().asString())
            .map(reason -> deny("5.7.1 Not authorised to send as " + sender.get().asString() + ": " + reason))
            .orElse(HookResult.DECLINED);
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (session.getUsername() == null) {
            return HookResult.DECLINED;
        }
        String mailbox = session.getUsername().asString();
        try {
            MimeMessage message = mail.getMessage();
            List<String> from = addresses(message.getFrom());
            if (from.isEmpty()) {
                return deny("5.6.0 A From: header is required");
            }
            for (String address : from) {
                Optional<String> refusal = authentication.sendRefusal(principal(session), mailbox, address);
                if (refusal.isPresent()) {
                    return deny("5.7.1 Not authorised to write From: " + address + ": " + refusal.get());
                }
            }
            boolean onBehalf = from.stream().anyMatch(address -> !address.equalsIgnoreCase(mailbox));
            if (onBehalf) {
                List<String> sender = addresses(message.getHeader("Sender") == null ? null : InternetAddress.parseHeader(
                    message.getHeader("Sender", ","), false));
                if (sender.size() != 1 || !sender.get(0).equalsIgnoreCase(mailbox)) {
                    // no saveChanges(): it would renew the Message-ID; James writes modified headers as they are
                    message.setHeader("Sender", mailbox);
                }
            }
            // only a principal proven at AUTH; without one, nothing later acts on anyone's behalf
            SessionActor.of(session).ifPresent(proven -> SubmissionPrincipal.attach(mail, proven, mailbox));
            return HookResult.DECLINED;
        } catch (MessagingException e) {
            return deny("5.6.0 Unreadable From: or Sender: header");
        }
    }

    /** The principal set at AUTH; a session authenticated some other way is held to its own mailbox (least privilege). */
    private static AuthenticatedPrincipal principal(SMTPSession session) {
        return SessionActor.of(session).orElseGet(() -> new AuthenticatedPrincipal.MailboxCredential(session.getUsername().asString(),
            AuthenticatedPrincipal.Proof.PASSWORD));
    }

    private static List<String> addresses(Address[] addresses) {
        List<String> result = new ArrayList<>();
        if (addresses != null) {
            for (Address address : addresses) {
                if (address instanceof InternetAddress internet && internet.getAddress() != null) {
                    result.add(internet.getAddress());
                }
            }
        }
        return result;
    }

    private static HookResult deny(String description) {
        return HookResult.builder().hookReturnCode(HookReturnCode.deny()).smtpReturnCode("550").smtpDescription(description).build();
    }
}
