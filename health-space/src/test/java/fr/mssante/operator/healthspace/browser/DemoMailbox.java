package fr.mssante.operator.healthspace.browser;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

/**
 * A demo mailbox of the packaged server used by a person outside the health space (a professional, or the demo
 * mailbox that receives every citizen's personal e-mail): submission and IMAPS with its password, as any mail client.
 */
final class DemoMailbox {
    private final String address;
    private final String password;
    private final int submissionsPort;
    private final int imapsPort;
    private final SSLContext tls;

    DemoMailbox(String address, String password, int submissionsPort, int imapsPort, Path trustRoots) throws Exception {
        this.address = address;
        this.password = password;
        this.submissionsPort = submissionsPort;
        this.imapsPort = imapsPort;
        this.tls = trusting(trustRoots);
    }

    String address() {
        return address;
    }

    MimeMessage newMessage() {
        return new MimeMessage(session());
    }

    /** Submits {@code message}; a refusal is thrown. */
    void send(MimeMessage message) throws MessagingException {
        try (Transport transport = session().getTransport("smtps")) {
            transport.connect("127.0.0.1", submissionsPort, address, password);
            message.saveChanges();
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    /** Every message of the inbox: its headers of interest and its text. */
    List<Received> inbox() throws MessagingException, IOException {
        List<Received> received = new ArrayList<>();
        try (Store store = session().getStore("imaps")) {
            store.connect("127.0.0.1", imapsPort, address, password);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                for (Message message : inbox.getMessages()) {
                    MimeMessage mime = (MimeMessage) message;
                    received.add(new Received(mime.getMessageID(), header(mime, "In-Reply-To"), header(mime, "From"),
                        mime.getSubject() == null ? "" : mime.getSubject(), text(mime)));
                }
            } finally {
                inbox.close(false);
            }
        }
        return received;
    }

    record Received(String messageId, String inReplyTo, String from, String subject, String text) {
    }

    private static String header(MimeMessage message, String name) throws MessagingException {
        String value = message.getHeader(name, " ");
        return value == null ? "" : value;
    }

    private static String text(Part part) throws MessagingException, IOException {
        if (part.isMimeType("text/*")) {
            return String.valueOf(part.getContent());
        }
        if (part.isMimeType("multipart/*")) {
            StringBuilder all = new StringBuilder();
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                all.append(text(multipart.getBodyPart(i))).append('\n');
            }
            return all.toString();
        }
        return "";
    }

    private Session session() {
        Properties properties = new Properties();
        for (String protocol : List.of("imaps", "smtps")) {
            properties.put("mail." + protocol + ".ssl.socketFactory", tls.getSocketFactory());
            properties.put("mail." + protocol + ".ssl.checkserveridentity", "true");
            properties.put("mail." + protocol + ".connectiontimeout", "20000");
            properties.put("mail." + protocol + ".timeout", "60000");
        }
        properties.put("mail.smtps.auth", "true");
        properties.put("mail.smtps.from", address);
        return Session.getInstance(properties);
    }

    private static SSLContext trusting(Path roots) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(roots)) {
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("root-" + index++, certificate);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
