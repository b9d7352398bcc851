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
