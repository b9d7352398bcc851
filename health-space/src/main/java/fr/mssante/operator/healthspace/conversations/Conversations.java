package fr.mssante.operator.healthspace.conversations;

import java.io.UnsupportedEncodingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.springframework.stereotype.Service;

import fr.mssante.operator.healthspace.login.CitizenPrincipal;
import fr.mssante.operator.healthspace.mailbox.AttachmentData;
import fr.mssante.operator.healthspace.mailbox.Box;
import fr.mssante.operator.healthspace.mailbox.MailboxException;
import fr.mssante.operator.healthspace.mailbox.MailboxGateway;
import fr.mssante.operator.healthspace.mailbox.MessageContent;
import fr.mssante.operator.healthspace.mailbox.MessageSummary;
import fr.mssante.operator.healthspace.webadmin.CitizenRoutes;
import fr.mssante.operator.healthspace.webadmin.ReplyPermission;

/**
 * The citizen's conversations: read through {@link MailboxGateway}, replies checked against the server's rule
 * ({@code reply-permission}) before they are written, and submitted as the citizen — the server applies the same
 * rule again at SMTP time, so a refusal there is shown as such.
 */
@Service
public class Conversations {
    private final MailboxGateway mailbox;
    private final CitizenRoutes routes;
    private final Clock clock;

    public Conversations(MailboxGateway mailbox, CitizenRoutes routes, Clock clock) {
        this.mailbox = mailbox;
        this.routes = routes;
        this.clock = clock;
    }

    public List<Conversation> of(CitizenPrincipal citizen) {
        return Threads.group(mailbox.list(citizen.address()));
    }

    public Optional<MessageContent> open(CitizenPrincipal citizen, Box box, long uid) {
        return mailbox.read(citizen.address(), box, uid);
    }

    public Optional<AttachmentData> attachment(CitizenPrincipal citizen, Box box, long uid, int index) {
        return mailbox.attachment(citizen.address(), box, uid, index);
    }

    /** The conversation holding {@code message}. */
    public Conversation threadOf(CitizenPrincipal citizen, MessageSummary message) {
        for (Conversation conversation : of(citizen)) {
            for (MessageSummary candidate : conversation.messages()) {
                if (candidate.box() == message.box() && candidate.uid() == message.uid()) {
                    return conversation;
                }
            }
        }
        return new Conversation(List.of(message));
    }

    public ReplyPermission replyPermission(CitizenPrincipal citizen, MessageSummary message) {
        return routes.replyPermission(citizen.ins(), message.messageId());
    }

    /**
     * Replies to {@code original} as the citizen: {@code In-Reply-To} and {@code References} continue its thread.
     * Empty when submitted; else the server's refusal.
     */
    public Optional<String> reply(CitizenPrincipal citizen, MessageContent original, String text) {
        ReplyPermission permission = replyPermission(citizen, original.summary());
        if (!permission.allowed()) {
            return Optional.of(permission.reason());
        }
        try {
            MimeMessage reply = mailbox.newMessage(citizen.address());
            reply.setFrom(new InternetAddress(citizen.address(), citizen.displayName(), "UTF-8"));
            reply.setRecipient(Message.RecipientType.TO, new InternetAddress(original.summary().fromAddress()));
            String subject = original.summary().subject();
            reply.setSubject(subject.regionMatches(true, 0, "Re:", 0, 3) ? subject : "Re: " + subject, "UTF-8");
            String id = original.summary().messageId();
            if (!id.isBlank()) {
                List<String> references = new ArrayList<>(original.summary().references());
                references.add(id);
                reply.setHeader("In-Reply-To", id);
                reply.setHeader("References", String.join(" ", references));
            }
            reply.setText(text, "UTF-8");
            reply.setSentDate(Date.from(clock.instant()));
            mailbox.submit(citizen.address(), reply);
            return Optional.empty();
        } catch (MailboxException e) {
            if (e.getCause() instanceof SendFailedException refused) {
                return Optional.of(refusal(refused));
            }
            throw e;
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw new MailboxException("Reply not built", e);
        }
    }

    /** The server's own words (its SMTP reply), without the status code. */
    private static String refusal(SendFailedException refused) {
        Exception next = refused;
        String text = refused.getMessage();
        while (next instanceof MessagingException messaging && messaging.getNextException() != null) {
            next = messaging.getNextException();
            text = next.getMessage();
        }
        return text == null ? "" : text.replaceAll("^\\s*[0-9]{3}[ -]([0-9]\\.[0-9]{1,3}\\.[0-9]{1,3} )?", "").trim();
    }
}
