package fr.mssante.operator.server.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

/**
 * Read receipts (RFC 8098) as mail clients write them (US-ASCII: the raw SMTP test client writes ASCII), and the check that the server delivered one untouched: the
 * body byte for byte, and every header line the client wrote, unchanged (the server may only add trace fields above
 * them: Return-Path, Delivered-To, Received, and our own X-MSS-* verdicts at the top level, never inside the report).
 */
public final class Mdn {
    private Mdn() {
    }

    /** A message whose sender asks for a read receipt. */
    public static String requestingReadReceipt(String from, String to, String token) {
        return "From: " + from + "\r\n"
            + "To: " + to + "\r\n"
            + "Subject: Compte rendu " + token + "\r\n"
            + "Message-ID: <" + token + "@mdn.test>\r\n"
            + "Date: Mon, 07 Dec 2026 09:00:00 +0100\r\n"
            + "Disposition-Notification-To: " + from + "\r\n"
            + "Disposition-Notification-Options: signed-receipt-protocol=optional,pkcs7-signature\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n"
            + "\r\n"
            + "Merci d'accuser reception. " + token + "\r\n";
    }

    /** The MDN (multipart/report; report-type=disposition-notification) {@code from}'s client sends back. */
    public static String answering(String from, String to, String token) {
        String boundary = "----=_mdn_" + token;
        return "From: " + from + "\r\n"
            + "To: " + to + "\r\n"
            + "Subject: Accuse de lecture " + token + "\r\n"
            + "Message-ID: <mdn-" + token + "@mdn.test>\r\n"
            + "Date: Mon, 07 Dec 2026 09:05:00 +0100\r\n"
            + "In-Reply-To: <" + token + "@mdn.test>\r\n"
            + "References: <" + token + "@mdn.test>\r\n"
            + "Auto-Submitted: auto-replied\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=disposition-notification;\r\n"
            + "\tboundary=\"" + boundary + "\"\r\n"
            + "\r\n"
            + "This is a multi-part message in MIME format.\r\n"
            + "--" + boundary + "\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n"
            + "\r\n"
            + "Le message a ete affiche. The message was displayed.\r\n"
            + "--" + boundary + "\r\n"
            + "Content-Type: message/disposition-notification\r\n"
            + "\r\n"
            + "Reporting-UA: poste-12.cabinet.test; Thunderbird 128.5\r\n"
            + "Original-Recipient: rfc822;" + from + "\r\n"
            + "Final-Recipient: rfc822;" + from + "\r\n"
            + "Original-Message-ID: <" + token + "@mdn.test>\r\n"
            + "Disposition: manual-action/MDN-sent-manually; displayed\r\n"
            + "X-MSS-Looks-Like-Ours: a field of the report, not a header of the message\r\n"
            + "\r\n"
            + "--" + boundary + "\r\n"
            + "Content-Type: text/rfc822-headers\r\n"
            + "\r\n"
            + "From: " + to + "\r\n"
            + "To: " + from + "\r\n"
            + "Subject: Compte rendu " + token + "\r\n"
            + "Message-ID: <" + token + "@mdn.test>\r\n"
            + "Disposition-Notification-To: " + to + "\r\n"
            + "\r\n"
            + "--" + boundary + "--\r\n";
    }

    /** The message as a DATA payload for {@code SmtpDialogue}/{@code MailClient.submitWithDsn} (which add CRLF.CRLF). */
    public static String data(String message) {
        return message.endsWith("\r\n") ? message.substring(0, message.length() - 2) : message;
    }

    /** {@code delivered} (as read over IMAP) is {@code sent} with trace fields added above it, and nothing else. */
    public static void assertDeliveredUntouched(String sent, byte[] delivered) {
        String received = new String(delivered, StandardCharsets.UTF_8);
        int sentBody = sent.indexOf("\r\n\r\n");
        int receivedBody = received.indexOf("\r\n\r\n");
        assertThat(receivedBody).as("a header block in\n%s", received).isPositive();
        assertThat(received.substring(receivedBody)).as("the body, byte for byte").isEqualTo(sent.substring(sentBody));
        String receivedHeaders = received.substring(0, receivedBody + 2);
        // the client's header block comes through as one unchanged run of lines, below the trace fields
        assertThat(receivedHeaders).as("the client's header lines, unchanged and in order").endsWith(sent.substring(0, sentBody + 2));
        String added = receivedHeaders.substring(0, receivedHeaders.length() - (sentBody + 2));
        for (String line : added.split("\r\n")) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                assertThat(line).as("only trace fields and our verdicts are added").matches(
                    "(?i)(Return-Path|Delivered-To|Received|X-MSS-[A-Za-z-]+):.*");
            }
        }
    }
}
