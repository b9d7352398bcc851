package fr.mssante.operator.extensions.dsn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.audit.AuditRecord;
import fr.mssante.operator.audit.AuditTypes;
import fr.mssante.operator.delivery.OutboundSettings;
import fr.mssante.operator.delivery.dsn.DeliveryStatusReport;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.database.MailEffects;
import fr.mssante.operator.extensions.smime.DecryptForLocalRecipients;

/**
 * Sends the sender of a mail a delivery status notification (RFC 3464) about the mail's recipients: a
 * {@code multipart/report; report-type=delivery-status} with a human-readable part, the
 * {@code message/delivery-status} part written by {@link DeliveryStatusReport} and the original (headers only, or
 * the full message when the sender asked RET=FULL and that is allowed). Replaces James's {@code Bounce} and
 * {@code DSNBounce}, whose {@code Status:} carries the free text and whose {@code Reporting-MTA} is an IP address.
 *
 * <p>Sent once per mail and processor, its audit row ({@code DSN_SENT}) written once, even when the processor runs
 * again for the mail after a database outage ({@link MailEffects}).
 *
 * <p>The DSN has a null reverse-path (never bounced, never answered) and {@code Auto-Submitted: auto-replied}. A mail
 * that itself has a null reverse-path gets no DSN. Which recipients get one (NOTIFY) is the matcher's business.
 *
 * <pre>{@code
 * <mailet match="DSNFailureRequested" class="fr.mssante.operator.extensions.dsn.SendDeliveryStatusNotification">
 *   <action>failed</action>              <!-- failed (default), delayed, delivered, relayed, expanded -->
 *   <defaultStatus>5.1.1</defaultStatus> <!-- when the reason has no code; default x.0.0 of the action's class -->
 *   <attachment>headers</attachment>     <!-- without RET: none, headers (default) or message -->
 *   <fullReturn>true</fullReturn>        <!-- honour RET=FULL (default true; false: headers at most) -->
 *   <notice>text</notice>                <!-- the reason when the mail carries none -->
 *   <passThrough>false</passThrough>     <!-- default false: the mail is consumed -->
 * </mailet>
 * }</pre>
 */
public class SendDeliveryStatusNotification extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(SendDeliveryStatusNotification.class);
    private static final AttributeName ARRIVAL_DATE = AttributeName.of("dsn-arrival-date");
    private static final AttributeName JAMES_DELIVERY_ERROR = AttributeName.of("delivery-error");
    private static final String CRLF = "\r\n";

    enum Attachment { NONE, HEADERS, MESSAGE }

    record Parameters(DeliveryStatusReport.Action action, String defaultStatus, Attachment attachment, boolean fullReturn,
                      Optional<String> notice, boolean passThrough) {
    }

    private final OutboundSettings settings;
    private final Clock clock;
    private final Optional<MessageEventLog> audit;
    private Parameters parameters;

    @Inject
    public SendDeliveryStatusNotification(OutboundSettings settings, MessageEventLog audit,
                                          Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.audit = Optional.of(audit);
    }

    /** Without an audit trail (unit tests of the report). */
    public SendDeliveryStatusNotification(OutboundSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.audit = Optional.empty();
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("action", "defaultStatus", "attachment", "fullReturn", "notice", "passThrough"));
        try {
            DeliveryStatusReport.Action action = DeliveryStatusReport.Action.parse(getInitParameter("action", "failed"));
            String defaultStatus = getInitParameter("defaultStatus", action.statusClass() + ".0.0");
            // fails now, not at the first DSN, on a status that does not fit the action
            new DeliveryStatusReport.Recipient("check@invalid", Optional.empty(), action, defaultStatus,
                Optional.empty(), Optional.empty(), Optional.empty());
            parameters = new Parameters(action, defaultStatus,
                Attachment.valueOf(getInitParameter("attachment", "headers").trim().toUpperCase(Locale.ROOT)),
                getInitParameter("fullReturn", true), Optional.ofNullable(getInitParameter("notice")).filter(n -> !n.isBlank()),
                getInitParameter("passThrough", false));
        } catch (IllegalArgumentException e) {
            throw new MessagingException(getMailetName() + ": " + e.getMessage());
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<MailAddress> sender = mail.getMaybeSender().asOptional();
        if (sender.isPresent() && !mail.getRecipients().isEmpty()) {
            // once: the processor may run again for this mail after a database outage (the audit row below, or a
            // later mailet, found PostgreSQL unreachable): the DSN already sent is not sent again, only its audit row
            String sent = "dsn-" + parameters.action().field();
            String audited = sent + "-audited";
            Optional<String> dsnName = Optional.empty();
            if (!MailEffects.done(mail, sent)) {
                MailImpl dsn = MailImpl.builder().name(MailImpl.getId())
                    .sender(MailAddress.nullSender())
                    .addRecipient(sender.get())
                    .mimeMessage(report(mail, sender.get()))
                    .build();
                try {
                    getMailetContext().sendMail(dsn);
                    MailEffects.record(mail, sent);
                    dsnName = Optional.of(dsn.getName());
                } finally {
                    dsn.dispose();
                }
                LOGGER.debug("{} DSN for {} ({} recipient(s)) sent as {}", parameters.action().field(), mail.getName(),
                    mail.getRecipients().size(), dsnName.get());
            }
            if (audit.isPresent() && !MailEffects.done(mail, audited)) {
                try {
                    audit.get().journal().append(AuditRecord.of(AuditTypes.DSN_SENT)
                        .mailName(mail.getName()).messageId(mail.getMessage().getMessageID())
                        .sender(sender.get().asString())
                        .recipients(mail.getRecipients().stream().map(MailAddress::asString).toList())
                        .detail(parameters.action().field() + " DSN" + dsnName.map(name -> " " + name).orElse("")));
                } catch (SQLException e) {
                    throw new MessagingException("cannot audit the DSN for " + mail.getName(), e);
                }
                MailEffects.record(mail, audited);
            }
        }
        if (!parameters.passThrough()) {
            mail.setState(Mail.GHOST);
        }
    }

    MimeMessage report(Mail mail, MailAddress sender) throws MessagingException {
        ZonedDateTime now = ZonedDateTime.now(clock);
        Optional<DsnParameters> dsnParameters = mail.dsnParameters();
        Optional<String> commonReason = Optional.ofNullable(mail.getErrorMessage()).filter(e -> !e.isBlank())
            .or(() -> mail.getAttribute(JAMES_DELIVERY_ERROR).map(Attribute::getValue).map(AttributeValue::value)
                .filter(String.class::isInstance).map(String.class::cast))
            .or(parameters::notice);
        List<DeliveryStatusReport.Recipient> recipients = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            Optional<String> orcpt = dsnParameters.map(DsnParameters::getRcptParameters)
                .map(byRecipient -> byRecipient.get(recipient))
                .flatMap(DsnParameters.RecipientDsnParameters::getOrcptParameter).map(MailAddress::asString);
            Optional<String> reason = DsnReasons.reason(mail, recipient).or(() -> commonReason);
            Optional<String> remoteMta = DsnReasons.remoteMta(mail, recipient);
            if (parameters.action() != DeliveryStatusReport.Action.FAILED && parameters.action() != DeliveryStatusReport.Action.DELAYED) {
                reason = DsnReasons.reason(mail, recipient); // a success has no diagnostic of its own
            }
            recipients.add(DeliveryStatusReport.Recipient.of(recipient.asString(), orcpt, parameters.action(), reason,
                remoteMta, parameters.defaultStatus(), Optional.of(now)));
        }
        ZonedDateTime arrival = mail.getAttribute(ARRIVAL_DATE).map(Attribute::getValue).map(AttributeValue::value)
            .filter(ZonedDateTime.class::isInstance).map(ZonedDateTime.class::cast).orElse(now);
        DeliveryStatusReport report = new DeliveryStatusReport(settings.heloName(),
            dsnParameters.flatMap(DsnParameters::getEnvIdParameter).map(DsnParameters.EnvId::asString),
            Optional.ofNullable(mail.getRemoteHost()).filter(host -> !host.isBlank()), arrival, recipients);

        MimeMultipart multipart = new MimeMultipart("report") {
            {
                ContentType type = new ContentType(contentType);
                type.setParameter("report-type", "delivery-status");
                contentType = type.toString();
            }
        };
        multipart.addBodyPart(humanReadable(mail, recipients));
        MimeBodyPart status = new MimeBodyPart();
        status.setContent(report.render(), "text/plain; charset=us-ascii");
        status.setHeader("Content-Type", "message/delivery-status");
        status.setHeader("Content-Transfer-Encoding", "7bit");
        status.setDescription("Delivery Status Notification");
        multipart.addBodyPart(status);
        attachment(mail, dsnParameters).ifPresent(part -> {
            try {
                multipart.addBodyPart(part);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        });

        Properties session = new Properties();
        session.put("mail.host", settings.heloName()); // the Message-ID's right-hand side
        MimeMessage message = new MimeMessage(Session.getInstance(session));
        message.setFrom(getMailetContext().getPostmaster().toInternetAddress().orElseThrow());
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(sender.asString()));
        // the original subject, as mail clients show it, so that the sender knows which message this is about
        message.setSubject(Optional.ofNullable(mail.getMessage().getSubject()).filter(subject -> !subject.isBlank())
            .map(subject -> subject() + ": " + subject).orElse(subject()), "UTF-8");
        message.setSentDate(Date.from(now.toInstant()));
        message.setHeader("Auto-Submitted", "auto-replied");
        Optional.ofNullable(mail.getMessage().getMessageID()).ifPresent(id -> {
            try {
                message.setHeader("In-Reply-To", id);
                message.setHeader("References", id);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        });
        message.setContent(multipart);
        message.saveChanges();
        return message;
    }

    private String subject() {
        return switch (parameters.action()) {
            case FAILED -> "Non remis / Undelivered";
            case DELAYED -> "Retarde / Delayed";
            default -> "Remis / Delivered";
        };
    }

    private MimeBodyPart humanReadable(Mail mail, List<DeliveryStatusReport.Recipient> recipients) throws MessagingException {
        StringBuilder text = new StringBuilder();
        text.append("This is the mail server ").append(settings.heloName()).append('.').append(CRLF).append(CRLF);
        text.append(switch (parameters.action()) {
            case FAILED -> "Your message could not be delivered to the following recipient(s). / Votre message n'a pas pu etre distribue.";
            case DELAYED -> "Your message has not been delivered yet to the following recipient(s); delivery is still being attempted. / Votre message n'a pas encore ete distribue; nous reessayons.";
            case DELIVERED -> "Your message was delivered to the following recipient(s). / Votre message a ete distribue.";
            case RELAYED -> "Your message was relayed to the following recipient(s), which will not send a delivery report. / Votre message a ete relaye.";
            case EXPANDED -> "Your message was delivered to the following list(s). / Votre message a ete distribue a la liste.";
        }).append(CRLF).append(CRLF);
        Optional.ofNullable(mail.getMessage().getMessageID()).ifPresent(id -> text.append("Message-ID: ").append(id).append(CRLF).append(CRLF));
        for (DeliveryStatusReport.Recipient recipient : recipients) {
            text.append("  <").append(recipient.finalRecipient()).append(">: ").append(recipient.status());
            recipient.diagnosticCode().ifPresent(code -> text.append(CRLF).append("    ").append(code));
            text.append(CRLF);
        }
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text.toString(), "UTF-8");
        part.setDescription("Notification");
        return part;
    }

    private Optional<MimeBodyPart> attachment(Mail mail, Optional<DsnParameters> dsnParameters) throws MessagingException {
        Attachment kind = dsnParameters.flatMap(DsnParameters::getRetParameter)
            .map(ret -> ret == DsnParameters.Ret.FULL && parameters.fullReturn() ? Attachment.MESSAGE : Attachment.HEADERS)
            .orElse(parameters.attachment());
        if (!parameters.fullReturn() && kind == Attachment.MESSAGE) {
            kind = Attachment.HEADERS;
        }
        MimeMessage original = mail.getMessage();
        if (DecryptForLocalRecipients.decryptedHere(original)) {
            // a copy decrypted for its one recipient: the sender may have re-sent mail encrypted for a colleague
            kind = Attachment.NONE;
        }
        MimeBodyPart part = new MimeBodyPart();
        switch (kind) {
            case NONE:
                return Optional.empty();
            case HEADERS:
                StringBuilder headers = new StringBuilder();
                for (String line : Collections.list(original.getAllHeaderLines())) {
                    headers.append(line).append(CRLF);
                }
                byte[] bytes = headers.toString().getBytes(StandardCharsets.UTF_8);
                part.setContent(new String(bytes, StandardCharsets.ISO_8859_1), "text/plain; charset=us-ascii");
                part.setHeader("Content-Type", "text/rfc822-headers");
                part.setDescription("Undelivered Message Headers");
                return Optional.of(part);
            default:
                ByteArrayOutputStream copy = new ByteArrayOutputStream();
                try {
                    original.writeTo(copy);
                } catch (IOException e) {
                    throw new MessagingException("cannot copy the original message", e);
                }
                part.setContent(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(copy.toByteArray())), "message/rfc822");
                part.setDescription("Undelivered Message");
                return Optional.of(part);
        }
    }

    @Override
    public String getMailetInfo() {
        return "Sends RFC 3464 delivery status notifications";
    }
}
