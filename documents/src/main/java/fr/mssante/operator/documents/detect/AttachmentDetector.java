package fr.mssante.operator.documents.detect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeUtility;
import javax.mail.internet.ParseException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.documents.cda.CdaSniffer;
import fr.mssante.operator.documents.content.Content;

/**
 * Finds health-document attachments in a MIME message (javax.mail, as James 3.8.1 hands it over): {@code IHE_XDM.ZIP}
 * (name matched ignoring case, from Content-Disposition {@code filename} or Content-Type {@code name}, RFC 2231 and
 * RFC 2047 decoded), bare CDA (XML parts whose root is {@code ClinicalDocument} in {@code urn:hl7-org:v3}) and PDF.
 * Walks nested multiparts, including both sides of {@code multipart/signed} (the signature part is simply not a
 * document). Does not open {@code message/rfc822} parts (a forwarded message is not the sender's document) nor opaque
 * S/MIME (reported: decrypt/unwrap first). Bounded by {@link DetectionLimits}; never throws.
 */
public final class AttachmentDetector {
    private static final Logger LOG = LoggerFactory.getLogger(AttachmentDetector.class);
    private static final byte[] PDF_MAGIC = {'%', 'P', 'D', 'F', '-'};
    public static final String XDM_FILENAME = "IHE_XDM.ZIP";

    private final DetectionLimits limits;

    public AttachmentDetector(DetectionLimits limits) {
        this.limits = limits;
    }

    public AttachmentDetector() {
        this(DetectionLimits.DEFAULT);
    }

    public Detection detect(Part message) {
        Walk walk = new Walk();
        try {
            walk.visit(message, "", 0);
        } catch (RuntimeException e) {
            walk.issues.add(new DetectionIssue(DetectionIssue.Code.UNREADABLE_PART, "",
                "MIME structure could not be walked: " + e.getClass().getSimpleName()));
        }
        LOG.debug("detected {} health attachment(s), {} issue(s) in {} part(s)", walk.found.size(), walk.issues.size(), walk.parts);
        return new Detection(walk.found, walk.issues);
    }

    private final class Walk {
        private final List<FoundAttachment> found = new ArrayList<>();
        private final List<DetectionIssue> issues = new ArrayList<>();
        private int parts;
        private boolean tooMany;

        void visit(Part part, String path, int depth) {
            if (++parts > limits.maxParts()) {
                if (!tooMany) {
                    tooMany = true;
                    issues.add(new DetectionIssue(DetectionIssue.Code.TOO_MANY_PARTS, path, "more than " + limits.maxParts() + " MIME parts"));
                }
                return;
            }
            String type = baseType(part);
            if (type.startsWith("multipart/")) {
                if (depth >= limits.maxDepth()) {
                    issues.add(new DetectionIssue(DetectionIssue.Code.TOO_DEEP, path, "multipart nested deeper than " + limits.maxDepth()));
                    return;
                }
                Multipart multipart;
                int count;
                try {
                    Object content = part.getContent();
                    if (!(content instanceof Multipart)) {
                        issues.add(new DetectionIssue(DetectionIssue.Code.UNREADABLE_PART, path, type + " without a multipart body"));
                        return;
                    }
                    multipart = (Multipart) content;
                    count = multipart.getCount();
                } catch (MessagingException | IOException e) {
                    issues.add(new DetectionIssue(DetectionIssue.Code.UNREADABLE_PART, path, type + " body cannot be parsed"));
                    return;
                }
                for (int i = 0; i < count; i++) {
                    String childPath = path.isEmpty() ? String.valueOf(i + 1) : path + "." + (i + 1);
                    try {
                        visit(multipart.getBodyPart(i), childPath, depth + 1);
                    } catch (MessagingException e) {
                        issues.add(new DetectionIssue(DetectionIssue.Code.UNREADABLE_PART, childPath, "part cannot be read"));
                    }
                }
                return;
            }
            if (type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime")) {
                issues.add(new DetectionIssue(DetectionIssue.Code.OPAQUE_SMIME, path, "opaque S/MIME content is not inspected"));
                return;
            }
            if (type.startsWith("message/")) {
                return;
            }
            leaf(part, path, type);
        }

        private void leaf(Part part, String path, String type) {
            Optional<String> filename = filename(part);
            String lowerName = filename.map(n -> n.toLowerCase(Locale.ROOT)).orElse("");
            boolean xdm = filename.map(n -> n.trim().equalsIgnoreCase(XDM_FILENAME)).orElse(false);
            boolean pdf = type.equals("application/pdf") || lowerName.endsWith(".pdf");
            boolean xml = type.equals("text/xml") || type.equals("application/xml") || type.endsWith("+xml") || lowerName.endsWith(".xml");
            boolean octets = type.equals("application/octet-stream");
            if (!xdm && !pdf && !xml && !octets) {
                return;
            }
            Content content;
            try (InputStream in = part.getInputStream()) {
                content = Content.read(in, limits.maxAttachmentBytes());
            } catch (Content.TooLargeException e) {
                issues.add(new DetectionIssue(DetectionIssue.Code.ATTACHMENT_TOO_LARGE, path,
                    "attachment larger than " + limits.maxAttachmentBytes() + " bytes"));
                return;
            } catch (IOException | MessagingException | RuntimeException e) {
                issues.add(new DetectionIssue(DetectionIssue.Code.UNREADABLE_PART, path, "attachment body cannot be decoded"));
                return;
            }
            AttachmentKind kind;
            if (xdm) {
                kind = AttachmentKind.XDM_ZIP;
            } else if (pdf) {
                kind = AttachmentKind.PDF;
            } else if (CdaSniffer.isCda(content)) {
                kind = AttachmentKind.CDA;
            } else if (octets && content.startsWith(PDF_MAGIC)) {
                kind = AttachmentKind.PDF;
            } else {
                return;
            }
            found.add(new FoundAttachment(kind, filename, type, path, content));
        }
    }

    private static String baseType(Part part) {
        try {
            String raw = part.getContentType();
            if (raw == null) {
                return "text/plain";
            }
            return new ContentType(raw).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException e) {
            return "application/octet-stream";
        } catch (MessagingException | RuntimeException e) {
            return "application/octet-stream";
        }
    }

    private static Optional<String> filename(Part part) {
        String name;
        try {
            name = part.getFileName();
        } catch (MessagingException | RuntimeException e) {
            return Optional.empty();
        }
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        if (name.contains("=?")) {
            try {
                name = MimeUtility.decodeText(name);
            } catch (UnsupportedEncodingException | RuntimeException e) {
                // keep the raw name
            }
        }
        return Optional.of(name.trim());
    }
}
