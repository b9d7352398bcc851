package fr.mssante.operator.healthspace.mailbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import jakarta.mail.Address;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import fr.mssante.operator.healthspace.HealthSpaceSettings;

/**
 * A citizen's mailbox, reached as the server's contract B says: IMAPS and submission (implicit TLS) with the health
 * space's TLS client certificate, then SASL {@code EXTERNAL} whose authorization identity is the citizen's address.
 * No password exists for a citizen mailbox; no other mechanism is tried. One connection per request (a health space
 * is opened a few times a month: no pool to keep).
 */
@Component
public class MailboxGateway {
    private static final Logger LOGGER = LoggerFactory.getLogger(MailboxGateway.class);
    private final HealthSpaceSettings settings;
    private final Supplier<SSLContext> tls;
    private volatile SSLContext context;

    @Autowired
    public MailboxGateway(HealthSpaceSettings settings) {
        this(settings, () -> TlsIdentity.context(settings.certificate(), settings.certificatePasswordFile(),
            settings.trustRoots()));
    }

    /** With an explicit TLS context (tests). */
    public MailboxGateway(HealthSpaceSettings settings, Supplier<SSLContext> tls) {
        this.settings = settings;
        this.tls = tls;
    }

    /** Every message of the inbox and of the sent folder, without content. */
    public List<MessageSummary> list(String address) {
        return withStore(address, store -> {
            List<MessageSummary> all = new ArrayList<>();
            for (Box box : Box.values()) {
                Folder folder = store.getFolder(box.folder());
                if (!folder.exists()) {
                    continue;
                }
                folder.open(Folder.READ_ONLY);
                try {
                    Message[] messages = folder.getMessages();
                    FetchProfile profile = new FetchProfile();
                    profile.add(FetchProfile.Item.ENVELOPE);
                    profile.add(FetchProfile.Item.FLAGS);
                    profile.add(FetchProfile.Item.CONTENT_INFO);
                    profile.add(UIDFolder.FetchProfileItem.UID);
                    profile.add("Message-ID");
                    profile.add("In-Reply-To");
                    profile.add("References");
                    folder.fetch(messages, profile);
                    for (Message message : messages) {
                        all.add(summary(box, (UIDFolder) folder, (MimeMessage) message));
                    }
                } finally {
                    folder.close(false);
                }
            }
            return all;
        });
    }

    /** One message, opened: marked as seen. Empty when there is no such message. */
    public Optional<MessageContent> read(String address, Box box, long uid) {
        return withStore(address, store -> {
            Folder folder = store.getFolder(box.folder());
            if (!folder.exists()) {
                return Optional.empty();
            }
            folder.open(Folder.READ_WRITE);
            try {
                MimeMessage message = (MimeMessage) ((UIDFolder) folder).getMessageByUID(uid);
                if (message == null) {
                    return Optional.empty();
                }
                message.setFlag(Flags.Flag.SEEN, true);
                MessageSummary summary = summary(box, (UIDFolder) folder, message);
                Parts parts = new Parts();
                parts.walk(message);
                List<String> to = new ArrayList<>();
                Address[] recipients = message.getRecipients(Message.RecipientType.TO);
                if (recipients != null) {
                    for (Address recipient : recipients) {
                        to.add(recipient instanceof InternetAddress internet ? internet.toUnicodeString() : recipient.toString());
                    }
                }
                return Optional.of(new MessageContent(summary, to, parts.text(), parts.attachments()));
            } finally {
                folder.close(false);
            }
        });
    }

    /** One attachment's bytes; empty when there is no such message or attachment. */
    public Optional<AttachmentData> attachment(String address, Box box, long uid, int index) {
        return withStore(address, store -> {
            Folder folder = store.getFolder(box.folder());
            if (!folder.exists()) {
                return Optional.empty();
            }
            folder.open(Folder.READ_ONLY);
            try {
                Message message = ((UIDFolder) folder).getMessageByUID(uid);
                if (message == null) {
                    return Optional.empty();
                }
                Parts parts = new Parts();
                parts.walk(message);
                if (index < 0 || index >= parts.attachmentParts.size()) {
                    return Optional.empty();
                }
                Part part = parts.attachmentParts.get(index);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (InputStream in = part.getInputStream()) {
                    in.transferTo(bytes);
                }
                AttachmentInfo info = parts.attachments().get(index);
                return Optional.of(new AttachmentData(new AttachmentInfo(index, info.fileName(), info.contentType(),
                    bytes.size()), bytes.toByteArray()));
            } finally {
                folder.close(false);
            }
        });
    }

    /**
     * Submits {@code message} as the citizen (the server applies the citizen rules and may refuse it: a
     * {@link MailboxException} whose cause is the SMTP refusal), then files a copy in the sent folder (a failure of
     * that copy is logged, not thrown: the reply is sent).
     */
    public void submit(String address, MimeMessage message) {
        Session session = session(address);
        try (Transport transport = session.getTransport("smtps")) {
            transport.connect(settings.mailHost(), settings.submissionsPort(), address, "");
            message.saveChanges();
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException e) {
            throw new MailboxException("Submission refused or failed", e);
        }
        try {
            withStore(address, store -> {
                Folder sent = store.getFolder(Box.SENT.folder());
                if (!sent.exists()) {
                    sent.create(Folder.HOLDS_MESSAGES);
                }
                message.setFlag(Flags.Flag.SEEN, true);
                sent.appendMessages(new Message[] {message});
                return null;
            });
        } catch (MailboxException e) {
            // the reply is sent: saying otherwise would make the citizen send it twice
            LOGGER.warn("Reply submitted but not copied to the sent folder ({})",
                e.getCause() == null ? "" : e.getCause().getClass().getSimpleName());
        }
    }

    /** A new message in the citizen's mail session (for replies). */
    public MimeMessage newMessage(String address) {
        return new MimeMessage(session(address));
    }

    Session session(String address) {
        Properties properties = new Properties();
        long timeout = settings.mailTimeout().toMillis();
        for (String protocol : List.of("imaps", "smtps")) {
            String prefix = "mail." + protocol + ".";
            properties.put(prefix + "host", settings.mailHost());
            properties.put(prefix + "ssl.enable", "true");
            properties.put(prefix + "ssl.socketFactory", sslContext().getSocketFactory());
            properties.put(prefix + "ssl.checkserveridentity", "true");
            properties.put(prefix + "ssl.protocols", "TLSv1.3 TLSv1.2");
            properties.put(prefix + "connectiontimeout", Long.toString(timeout));
            properties.put(prefix + "timeout", Long.toString(timeout));
            // SASL EXTERNAL only: the TLS client certificate authenticates the health space, the authorization
            // identity names the citizen's mailbox; every password mechanism is off
            properties.put(prefix + "sasl.enable", "true");
            properties.put(prefix + "sasl.mechanisms", "EXTERNAL");
            properties.put(prefix + "sasl.authorizationid", address);
            properties.put(prefix + "auth.plain.disable", "true");
            properties.put(prefix + "auth.login.disable", "true");
            properties.put(prefix + "auth.ntlm.disable", "true");
            properties.put(prefix + "auth.xoauth2.disable", "true");
        }
        properties.put("mail.smtps.port", Integer.toString(settings.submissionsPort()));
        properties.put("mail.smtps.auth", "true");
        properties.put("mail.smtps.auth.digest-md5.disable", "true");
        properties.put("mail.smtps.from", address);
        properties.put("mail.imaps.port", Integer.toString(settings.imapsPort()));
        return Session.getInstance(properties);
    }

    private SSLContext sslContext() {
        SSLContext current = context;
        if (current == null) {
            // read lazily: the development PKI is written by the server, which may start after us
            current = tls.get();
            context = current;
        }
        return current;
    }

    private <T> T withStore(String address, StoreWork<T> work) {
        try (Store store = session(address).getStore("imaps")) {
            store.connect(settings.mailHost(), settings.imapsPort(), address, "");
            return work.run(store);
        } catch (MessagingException | IOException e) {
            throw new MailboxException("Mailbox unavailable", e);
        }
    }

    @FunctionalInterface
    private interface StoreWork<T> {
        T run(Store store) throws MessagingException, IOException;
    }

    private static MessageSummary summary(Box box, UIDFolder folder, MimeMessage message) throws MessagingException {
        String fromAddress = "";
        String fromName = "";
        Address[] from = message.getFrom();
        if (from != null && from.length > 0 && from[0] instanceof InternetAddress internet) {
            fromAddress = internet.getAddress();
            fromName = internet.getPersonal() == null ? "" : internet.getPersonal();
        }
        Date date = message.getSentDate() != null ? message.getSentDate() : message.getReceivedDate();
        String contentType = message.getContentType() == null ? "" : message.getContentType().toLowerCase(Locale.ROOT);
        return new MessageSummary(box, folder.getUID(message), header(message, "Message-ID"),
            header(message, "In-Reply-To"), MessageIds.parse(header(message, "References")), fromAddress, fromName,
            message.getSubject() == null ? "" : message.getSubject(), date == null ? Instant.EPOCH : date.toInstant(),
            message.isSet(Flags.Flag.SEEN), contentType.startsWith("multipart/mixed"));
    }

    private static String header(MimeMessage message, String name) throws MessagingException {
        String value = message.getHeader(name, " ");
        return value == null ? "" : value.trim();
    }

    /** Walks a message: the first text part is its text, every named or attached part an attachment. */
    private static final class Parts {
        private String plain;
        private String html;
        private final List<Part> attachmentParts = new ArrayList<>();
        private final List<AttachmentInfo> infos = new ArrayList<>();

        void walk(Part part) throws MessagingException, IOException {
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    walk(multipart.getBodyPart(i));
                }
                return;
            }
            String fileName = part.getFileName();
            boolean attached = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || fileName != null;
            if (!attached && part.isMimeType("text/plain") && plain == null) {
                plain = String.valueOf(part.getContent());
            } else if (!attached && part.isMimeType("text/html") && html == null) {
                html = String.valueOf(part.getContent());
            } else if (attached || !part.isMimeType("text/*")) {
                String name = fileName == null ? "piece-jointe-" + (infos.size() + 1) : decode(fileName);
                String type = part.getContentType() == null ? "application/octet-stream"
                    : part.getContentType().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                attachmentParts.add(part);
                infos.add(new AttachmentInfo(infos.size(), safeName(name), type, part.getSize()));
            }
        }

        String text() {
            if (plain != null) {
                return plain;
            }
            return html == null ? "" : HtmlText.toText(html);
        }

        List<AttachmentInfo> attachments() {
            return infos;
        }

        private static String decode(String name) {
            try {
                return MimeUtility.decodeText(name);
            } catch (UnsupportedEncodingException e) {
                return name;
            }
        }

        /** A file name without any directory part or control character. */
        private static String safeName(String name) {
            String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
            String cleaned = base.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().trim();
            return cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..") ? "piece-jointe" : cleaned;
        }
    }
}
