package fr.mssante.operator.server.testing;

import java.util.Properties;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

/**
 * A real mail client (JavaMail): submission with STARTTLS + AUTH, IMAP with STARTTLS, both trusting only the
 * server's development CA.
 */
public final class MailClient {
    private final TestServer server;

    public MailClient(TestServer server) {
        this.server = server;
    }

    public MimeMessage newMessage(String from, String to, String subject, String body) throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject, "UTF-8");
        message.setText(body, "UTF-8");
        return message;
    }

    public void submit(String user, MimeMessage message) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(server.port(fr.mssante.operator.server.ListeningPorts.SUBMISSION)));
        properties.put("mail.smtp.auth", "true");
        properties.put("mail.smtp.starttls.enable", "true");
        properties.put("mail.smtp.starttls.required", "true");
        properties.put("mail.smtp.ssl.socketFactory", server.clientTls().getSocketFactory());
        properties.put("mail.smtp.timeout", "30000");
        Session session = Session.getInstance(properties);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(user, server.password(user));
            message.saveChanges();
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    public Store imap(String user) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.imap.host", "127.0.0.1");
        properties.put("mail.imap.port", String.valueOf(server.port(fr.mssante.operator.server.ListeningPorts.IMAP)));
        properties.put("mail.imap.starttls.enable", "true");
        properties.put("mail.imap.starttls.required", "true");
        properties.put("mail.imap.ssl.socketFactory", server.clientTls().getSocketFactory());
        properties.put("mail.imap.timeout", "30000");
        Store store = Session.getInstance(properties).getStore("imap");
        store.connect(user, server.password(user));
        return store;
    }

    /** Submits over raw SMTP with DSN parameters on RCPT (e.g. {@code NOTIFY=SUCCESS,FAILURE}). */
    public void submitWithDsn(String user, String recipient, String rcptParameters, String message) throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(fr.mssante.operator.server.ListeningPorts.SUBMISSION))) {
            smtp.reply();
            smtp.command("EHLO client.test");
            smtp.startTls(server.clientTls());
            smtp.command("EHLO client.test");
            expect(smtp.authPlain(user, server.password(user)), "235");
            expect(smtp.command("MAIL FROM:<" + user + "> RET=HDRS ENVID=env-" + System.nanoTime()), "250");
            expect(smtp.command("RCPT TO:<" + recipient + "> " + rcptParameters), "250");
            expect(smtp.command("DATA"), "354");
            expect(smtp.command(message + "\r\n."), "250");
            smtp.command("QUIT");
        }
    }

    private static void expect(String reply, String code) {
        if (!reply.startsWith(code)) {
            throw new IllegalStateException("Expected " + code + " but got " + reply);
        }
    }

    public int inboxCount(String user) throws Exception {
        try (Store store = imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                return inbox.getMessageCount();
            } finally {
                inbox.close(false);
            }
        }
    }
}
