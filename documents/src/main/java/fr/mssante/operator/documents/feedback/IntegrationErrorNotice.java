package fr.mssante.operator.documents.feedback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

import fr.mssante.operator.documents.detect.AttachmentDetector;
import fr.mssante.operator.documents.detect.AttachmentKind;
import fr.mssante.operator.documents.detect.FoundAttachment;

/**
 * Builds the MSSanté "KO intégration" notification for the sender of a document that could not be used (INS missing
 * or invalid, DMP filing failed…), in the ANS format (volet "Transmission de documents CDA", page
 * {@code struct-msg-mdn.md}): an MDN (RFC 8098) in a {@code multipart/report; report-type=disposition-notification}
 * (RFC 6522) whose parts are, in order,
 * <ol>
 *   <li>{@code text/plain; charset=UTF-8}: French text with the error code and label and the document's title, id and
 *       file name — never its medical content nor the patient's identity;</li>
 *   <li>{@code message/disposition-notification}: {@code Reporting-UA}, {@code Original-Recipient},
 *       {@code Final-Recipient}, {@code Original-Message-ID},
 *       {@code Disposition: automatic-action/MDN-sent-automatically; processed/Error: <code>^<label>} (the ANS form) and
 *       {@code Error: <code>^<label>} (the RFC 8098 field); the label is folded to ASCII there, as header fields of
 *       this media type are US-ASCII;</li>
 *   <li>{@code message/rfc822}: the original message (required by the volet);</li>
 *   <li>the original's {@code IHE_XDM.ZIP} and PDF attachments again, as the volet asks (optional here).</li>
 * </ol>
 * Subject {@code [KO Intégration système !][<code>] <original subject>}; {@code Auto-Submitted: auto-replied}
 * (RFC 3834) so that no auto-responder answers it; {@code In-Reply-To}/{@code References} to the original.
 */
public final class IntegrationErrorNotice {
    public static final String SUBJECT_PREFIX = "[KO Intégration système !]";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private IntegrationErrorNotice() {
    }

    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    public static final class Builder {
        private final Clock clock;
        private InternetAddress from;
        private InternetAddress to;
        private String finalRecipient;
        private String originalRecipient;
        private MimeMessage original;
        private String unavailableId;
        private String unavailableSubject;
        private IntegrationErrorCode code = IntegrationErrorCode.OTHER;
        private String detail;
        private final List<DocumentReference> documents = new ArrayList<>();
        private boolean reattachDocuments = true;
        private String reportingUa = "MSS operator";

        private Builder(Clock clock) {
            this.clock = clock;
        }

        /** The notification's sender (the recipient mailbox's automaton, or the operator's postmaster). */
        public Builder from(InternetAddress value) {
            this.from = value;
            return this;
        }

        /** Who is told: the original's Disposition-Notification-To, else its sender. */
        public Builder to(InternetAddress value) {
            this.to = value;
            return this;
        }

        /** The mailbox the MDN is issued for ({@code Final-Recipient}). */
        public Builder finalRecipient(String address) {
            this.finalRecipient = address;
            return this;
        }

        /** The recipient as the sender wrote it ({@code Original-Recipient}), when known. */
        public Builder originalRecipient(String address) {
            this.originalRecipient = address;
            return this;
        }

        public Builder original(MimeMessage message) {
            this.original = message;
            return this;
        }

        /**
         * The original is no longer held (a DMP outcome known after the message went on): the notice names it by its
         * Message-ID and subject only, without the {@code message/rfc822} part nor its attachments.
         */
        public Builder originalUnavailable(String messageId, String subject) {
            this.unavailableId = messageId;
            this.unavailableSubject = subject;
            return this;
        }

        public Builder code(IntegrationErrorCode value) {
            this.code = value;
            return this;
        }

        /** One sentence for the sender, in French, without medical content; defaults to the code's ANS meaning. */
        public Builder detail(String value) {
            this.detail = value;
            return this;
        }

        public Builder document(DocumentReference reference) {
            this.documents.add(reference);
            return this;
        }

        /** Attach the original's IHE_XDM.ZIP and PDFs again after the original message (default true, as the volet asks). */
        public Builder reattachDocuments(boolean value) {
            this.reattachDocuments = value;
            return this;
        }

        /** {@code Reporting-UA} value (product name). */
        public Builder reportingUa(String value) {
            this.reportingUa = value;
            return this;
        }

        public MimeMessage build(Session session) throws MessagingException {
            if (from == null || to == null || finalRecipient == null || (original == null && unavailableSubject == null)) {
                throw new IllegalStateException("from, to, finalRecipient and original (or originalUnavailable) are required");
            }
            Optional<String> originalId = original == null ? Optional.ofNullable(unavailableId) : Optional.ofNullable(original.getMessageID());
            String domain = from.getAddress().substring(from.getAddress().indexOf('@') + 1);
            String messageId = "<" + ID_TIME.format(clock.instant()) + "." + UUID.randomUUID() + "@" + domain + ">";

            MimeMessage notice = new FixedIdMessage(session, messageId);
            notice.setFrom(from);
            notice.setRecipient(MimeMessage.RecipientType.TO, to);
            notice.setSentDate(Date.from(clock.instant()));
            notice.setSubject(SUBJECT_PREFIX + "[" + code.code() + "] " + originalSubject(), StandardCharsets.UTF_8.name());
            notice.setHeader("Auto-Submitted", "auto-replied");
            if (originalId.isPresent()) {
                notice.setHeader("In-Reply-To", originalId.get());
                notice.setHeader("References", originalId.get());
            }

            MimeMultipart report = new ReportMultipart();
            MimeBodyPart human = new MimeBodyPart();
            human.setText(humanText(originalId), StandardCharsets.UTF_8.name());
            human.setHeader("Content-Transfer-Encoding", "quoted-printable");
            report.addBodyPart(human);

            MimeBodyPart machine = new MimeBodyPart();
            machine.setDataHandler(new DataHandler(new ByteArrayDataSource(machineText(originalId).getBytes(StandardCharsets.US_ASCII),
                "message/disposition-notification")));
            machine.setHeader("Content-Type", "message/disposition-notification");
            machine.setHeader("Content-Transfer-Encoding", "7bit");
            report.addBodyPart(machine);

            if (original != null) {
                MimeBodyPart returned = new MimeBodyPart();
                returned.setDataHandler(new DataHandler(new ByteArrayDataSource(bytes(original), "message/rfc822")));
                returned.setHeader("Content-Type", "message/rfc822");
                report.addBodyPart(returned);
            }

            if (original != null && reattachDocuments) {
                for (FoundAttachment attachment : new AttachmentDetector().detect(original).attachments()) {
                    if (attachment.kind() == AttachmentKind.XDM_ZIP || attachment.kind() == AttachmentKind.PDF) {
                        report.addBodyPart(reattached(attachment));
                    }
                }
            }
            notice.setContent(report);
            notice.saveChanges();
            return notice;
        }

        private String originalSubject() throws MessagingException {
            String subject = original == null ? unavailableSubject : original.getSubject();
            return subject == null || subject.isBlank() ? "XDM/1.0/DDM" : subject.trim();
        }

        private String humanText(Optional<String> originalId) {
            StringBuilder text = new StringBuilder();
            text.append("Le message ci-dessous n'a pas pu être intégré automatiquement pour la raison suivante : ")
                .append(code.label()).append(" (code ").append(code.code()).append(").\n\n");
            if (!documents.isEmpty()) {
                text.append(documents.size() == 1 ? "Document concerné :\n" : "Documents concernés :\n");
                for (DocumentReference document : documents) {
                    text.append("  - ").append(document.title().map(t -> "« " + oneLine(t) + " »").orElse("(sans titre)"));
                    document.documentId().ifPresent(id -> text.append(", identifiant ").append(oneLine(id)));
                    document.filename().ifPresent(f -> text.append(", fichier ").append(oneLine(f)));
                    text.append('\n');
                }
                text.append('\n');
            }
            text.append("Précision : ").append(detail == null ? code.meaning() : oneLine(detail)).append("\n\n");
            text.append("Message d'origine : ").append(originalId.orElse("(sans Message-ID)"))
                .append(", destinataire ").append(finalRecipient).append(".\n");
            if (original != null) {
                text.append("Le message d'origine est joint à cette notification")
                    .append(reattachDocuments ? ", ainsi que ses pièces jointes IHE_XDM.ZIP et PDF" : "").append(".\n\n");
            } else {
                text.append('\n');
            }
            text.append("Cette notification est envoyée automatiquement ; merci de ne pas y répondre.\n");
            return text.toString();
        }

        private String machineText(Optional<String> originalId) {
            String value = code.code() + "^" + ascii(code.label());
            StringBuilder fields = new StringBuilder();
            fields.append("Reporting-UA: ").append(ascii(reportingUa)).append("\r\n");
            if (originalRecipient != null) {
                fields.append("Original-Recipient: rfc822;").append(ascii(originalRecipient)).append("\r\n");
            }
            fields.append("Final-Recipient: rfc822;").append(ascii(finalRecipient)).append("\r\n");
            originalId.ifPresent(id -> fields.append("Original-Message-ID: ").append(ascii(id)).append("\r\n"));
            fields.append("Disposition: automatic-action/MDN-sent-automatically; processed/Error: ").append(value).append("\r\n");
            fields.append("Error: ").append(value).append("\r\n");
            return fields.toString();
        }

        private static MimeBodyPart reattached(FoundAttachment attachment) throws MessagingException {
            MimeBodyPart part = new MimeBodyPart();
            String type = attachment.kind() == AttachmentKind.XDM_ZIP ? "application/zip" : "application/pdf";
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content().toByteArray(), type)));
            String name = attachment.filename().orElse(attachment.kind() == AttachmentKind.XDM_ZIP ? "IHE_XDM.ZIP" : "document.pdf");
            part.setFileName(name);
            part.setDisposition(MimeBodyPart.ATTACHMENT);
            part.setHeader("Content-Transfer-Encoding", "base64");
            return part;
        }

        private static byte[] bytes(MimeMessage message) throws MessagingException {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                message.writeTo(out);
                return out.toByteArray();
            } catch (IOException e) {
                throw new MessagingException("original message cannot be serialised", e);
            }
        }
    }

    /** Folds accents and drops anything outside printable US-ASCII (header fields of the report part). */
    static String ascii(String value) {
        String folded = Normalizer.normalize(value, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        StringBuilder out = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : c == '\u2019' ? '\'' : '?');
        }
        return out.toString();
    }

    private static String oneLine(String value) {
        return value.replaceAll("[\\r\\n\\t]+", " ").trim();
    }

    private static final class ReportMultipart extends MimeMultipart {
        ReportMultipart() throws MessagingException {
            super("report");
            ContentType type = new ContentType(contentType);
            type.setParameter("report-type", "disposition-notification");
            contentType = type.toString();
        }
    }

    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
