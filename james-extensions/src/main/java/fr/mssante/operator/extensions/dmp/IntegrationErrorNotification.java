package fr.mssante.operator.extensions.dmp;

import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import fr.mssante.operator.documents.feedback.IntegrationErrorCode;

/**
 * The MSSanté integration error notification (IG "courriel MSSanté": an MDN, {@code multipart/report;
 * report-type=disposition-notification}) telling the sender that a document could not be integrated:
 * subject {@code [KO Intégration système !][<code>] XDM/1.0/DDM+<subject>}, a French explanation naming the document
 * by its title and identifier (never its medical content), and the machine-readable part with
 * {@code Disposition: automatic-action/MDN-sent-automatically; processed/Error: <code>^<label>},
 * {@code Original-Message-ID} and {@code Original-Recipient}.
 */
public final class IntegrationErrorNotification {
    private IntegrationErrorNotification() {
    }

    /**
     * @param reportingDomain  our domain (Reporting-UA, From: mailer-daemon@)
     * @param sender           the mailbox that sent the document (notified)
     * @param recipient        the mailbox the integration was for (Original-Recipient)
     * @param originalSubject  the subject of the original message
     * @param originalMessageId its Message-ID
     * @param documentTitle    the CDA title (no medical content beyond the title)
     * @param documentId       the document unique id
     * @param detail           a technical detail (e.g. the registry's error), optional
     */
    public static MimeMessage build(IntegrationErrorCode error, String reportingDomain, String sender, String recipient,
                                    String originalSubject, String originalMessageId, String documentTitle, String documentId,
                                    Optional<String> detail) throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress("mailer-daemon@" + reportingDomain));
        message.setRecipient(javax.mail.Message.RecipientType.TO, new InternetAddress(sender));
        message.setSubject("[KO Intégration système !][" + error.code() + "] XDM/1.0/DDM+" + oneLine(originalSubject), "UTF-8");
        message.setHeader("Auto-Submitted", "auto-replied");
        if (originalMessageId != null) {
            message.setHeader("In-Reply-To", originalMessageId);
            message.setHeader("References", originalMessageId);
        }

        MimeBodyPart human = new MimeBodyPart();
        human.setText("Bonjour,\n\nLe document « " + oneLine(documentTitle) + " » (identifiant " + documentId + ") envoyé à "
            + recipient + " n'a pas pu être intégré.\n\nCode " + error.code() + " : " + error.label() + ".\n" + error.meaning()
            + detail.map(text -> "\nDétail : " + oneLine(text)).orElse("")
            + "\n\nCe message est envoyé automatiquement ; merci de ne pas y répondre.\n", "UTF-8");

        MimeBodyPart machine = new MimeBodyPart();
        String fields = "Reporting-UA: " + reportingDomain + "; MSSante operator\r\n"
            + "Original-Recipient: rfc822;" + recipient + "\r\n"
            + "Final-Recipient: rfc822;" + recipient + "\r\n"
            + (originalMessageId == null ? "" : "Original-Message-ID: " + originalMessageId + "\r\n")
            + "Disposition: automatic-action/MDN-sent-automatically; processed/Error: " + error.code() + "^" + ascii(error.label()) + "\r\n";
        machine.setDataHandler(new javax.activation.DataHandler(new javax.mail.util.ByteArrayDataSource(
            fields.getBytes(java.nio.charset.StandardCharsets.US_ASCII), "message/disposition-notification")));
        machine.setHeader("Content-Type", "message/disposition-notification");

        MimeMultipart report = new MimeMultipart("report; report-type=disposition-notification");
        report.addBodyPart(human);
        report.addBodyPart(machine);
        message.setContent(report);
        message.saveChanges();
        return message;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n\\t]+", " ").trim();
    }

    /** The disposition field is ASCII (RFC 8098): accents are dropped. */
    private static String ascii(String label) {
        return java.text.Normalizer.normalize(label, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    }

    /** For tests and logs: the message as bytes. */
    static byte[] bytes(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }
}
