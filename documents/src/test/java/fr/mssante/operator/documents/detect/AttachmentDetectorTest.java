package fr.mssante.operator.documents.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import javax.mail.BodyPart;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.documents.testing.TestDocuments.XdmDocument;

class AttachmentDetectorTest {
    private final AttachmentDetector detector = new AttachmentDetector();
    private final byte[] xdm = TestDocuments.xdmZip("SUBSET01", List.of(XdmDocument.cda("DOC0001.XML", TestDocuments.cda())), false);
    private final byte[] pdf = TestDocuments.pdf("beside");

    private static MimeMessage raw(String text) throws Exception {
        return TestDocuments.parse(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void walksIntoMultipartSigned() throws Exception {
        MimeBodyPart signature = TestDocuments.attachment(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, "smime.p7s",
            "application/pkcs7-signature");
        BodyPart content = TestDocuments.multipart("mixed", TestDocuments.text("CR ci-joint"),
            TestDocuments.attachment(xdm, "ihe_xdm.zip", "application/zip"),
            TestDocuments.attachment(pdf, "20261123_CR_TEST.pdf", "application/pdf"));
        MimeMessage message = TestDocuments.message("XDM/1.0/DDM+CR", TestDocuments.multipart("signed", content, signature));

        Detection detection = detector.detect(message);
        assertThat(detection.issues()).isEmpty();
        assertThat(detection.attachments()).extracting(FoundAttachment::kind, FoundAttachment::partPath, a -> a.filename().orElse(""))
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(AttachmentKind.XDM_ZIP, "2.1.2", "ihe_xdm.zip"),
                org.assertj.core.groups.Tuple.tuple(AttachmentKind.PDF, "2.1.3", "20261123_CR_TEST.pdf"));
        assertThat(detection.of(AttachmentKind.XDM_ZIP).get(0).content().toByteArray()).isEqualTo(xdm);
        assertThat(detection.of(AttachmentKind.XDM_ZIP).get(0).contentType()).isEqualTo("application/zip");
    }

    @Test
    void namesFromContentTypeAndEncodedParameters() throws Exception {
        String zip = Base64.getMimeEncoder().encodeToString(xdm);
        MimeMessage message = raw("From: a@a.mss.test\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
            + "--b\nContent-Type: application/zip; name=\"IHE_XDM.ZIP\"\nContent-Transfer-Encoding: base64\n\n" + zip + "\n"
            + "--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename*=UTF-8''Ihe_Xdm.Zip\n"
            + "Content-Transfer-Encoding: base64\n\n" + zip + "\n"
            + "--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"=?UTF-8?Q?IHE=5FXDM.ZIP?=\"\n"
            + "Content-Transfer-Encoding: base64\n\n" + zip + "\n"
            + "--b\nContent-Type: application/zip\nContent-Disposition: attachment; filename=\"other.zip\"\n"
            + "Content-Transfer-Encoding: base64\n\n" + zip + "\n--b--\n");
        Detection detection = detector.detect(message);
        assertThat(detection.attachments()).extracting(FoundAttachment::kind).containsExactly(AttachmentKind.XDM_ZIP,
            AttachmentKind.XDM_ZIP, AttachmentKind.XDM_ZIP);
        assertThat(detection.attachments()).extracting(a -> a.filename().orElseThrow())
            .containsExactly("IHE_XDM.ZIP", "Ihe_Xdm.Zip", "IHE_XDM.ZIP");
    }

    @Test
    void bareCdaByContentNotByName() throws Exception {
        MimeMessage message = TestDocuments.message("CR",
            TestDocuments.attachment(TestDocuments.cda().bytes(), null, "text/xml"),
            TestDocuments.attachment(TestDocuments.cda().bytes(), "compte-rendu.xml", "application/octet-stream"),
            TestDocuments.attachment("<foo xmlns=\"urn:hl7-org:v3\"/>".getBytes(StandardCharsets.UTF_8), "foo.xml", "text/xml"),
            TestDocuments.attachment("<ClinicalDocument/>".getBytes(StandardCharsets.UTF_8), "nons.xml", "application/xml"));
        Detection detection = detector.detect(message);
        assertThat(detection.attachments()).extracting(FoundAttachment::kind, FoundAttachment::partPath).containsExactly(
            org.assertj.core.groups.Tuple.tuple(AttachmentKind.CDA, "2"),
            org.assertj.core.groups.Tuple.tuple(AttachmentKind.CDA, "3"));
    }

    @Test
    void pdfByTypeNameOrSignature() throws Exception {
        MimeMessage message = TestDocuments.message("PDF",
            TestDocuments.attachment(pdf, null, "application/pdf"),
            TestDocuments.attachment(pdf, "scan.PDF", "application/octet-stream"),
            TestDocuments.attachment(pdf, null, "application/octet-stream"),
            TestDocuments.attachment("not a pdf".getBytes(StandardCharsets.US_ASCII), null, "application/octet-stream"),
            TestDocuments.attachment(pdf, "notes.txt", "text/plain"));
        assertThat(detector.detect(message).attachments()).extracting(FoundAttachment::partPath).containsExactly("2", "3", "4");
    }

    @Test
    void forwardedMessagesAndOpaqueSmimeAreNotOpened() throws Exception {
        MimeMessage inner = TestDocuments.message("inner", TestDocuments.attachment(xdm, "IHE_XDM.ZIP", "application/zip"));
        MimeBodyPart forwarded = new MimeBodyPart();
        forwarded.setContent(inner, "message/rfc822");
        MimeBodyPart opaque = TestDocuments.attachment(new byte[] {0x30, 0x00}, "smime.p7m", "application/pkcs7-mime");
        Detection detection = detector.detect(TestDocuments.message("fwd", forwarded, opaque));
        assertThat(detection.attachments()).isEmpty();
        assertThat(detection.issues()).extracting(DetectionIssue::code, DetectionIssue::partPath)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(DetectionIssue.Code.OPAQUE_SMIME, "3"));
    }

    @Test
    void limits() throws Exception {
        BodyPart nested = TestDocuments.attachment(xdm, "IHE_XDM.ZIP", "application/zip");
        for (int i = 0; i < 40; i++) {
            nested = TestDocuments.multipart("mixed", nested);
        }
        Detection deep = detector.detect(TestDocuments.message("deep", nested));
        assertThat(deep.attachments()).isEmpty();
        assertThat(deep.issues()).extracting(DetectionIssue::code).containsExactly(DetectionIssue.Code.TOO_DEEP);

        BodyPart[] many = new BodyPart[30];
        for (int i = 0; i < many.length; i++) {
            many[i] = TestDocuments.attachment(pdf, "p" + i + ".pdf", "application/pdf");
        }
        Detection tooMany = new AttachmentDetector(new DetectionLimits(8, 10, 1 << 20)).detect(TestDocuments.message("many", many));
        assertThat(tooMany.attachments()).hasSize(8);
        assertThat(tooMany.issues()).extracting(DetectionIssue::code).containsExactly(DetectionIssue.Code.TOO_MANY_PARTS);

        Detection large = new AttachmentDetector(new DetectionLimits(8, 10, 100))
            .detect(TestDocuments.message("large", TestDocuments.attachment(xdm, "IHE_XDM.ZIP", "application/zip")));
        assertThat(large.attachments()).isEmpty();
        assertThat(large.issues()).extracting(DetectionIssue::code).containsExactly(DetectionIssue.Code.ATTACHMENT_TOO_LARGE);
    }

    @Test
    void undecodableBodiesAreReported() throws Exception {
        MimeMessage message = raw("From: a@a.mss.test\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
            + "--b\nContent-Type: application/zip; name=\"IHE_XDM.ZIP\"\nContent-Transfer-Encoding: x-unknown\n\nxxxx\n"
            + "--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLj\n--b--\n");
        Detection detection = detector.detect(message);
        assertThat(detection.issues()).extracting(DetectionIssue::code, DetectionIssue::partPath)
            .contains(org.assertj.core.groups.Tuple.tuple(DetectionIssue.Code.UNREADABLE_PART, "1"));
    }

    @Test
    void brokenMultipartIsReported() throws Exception {
        MimeMessage message = raw("From: a@a.mss.test\nMIME-Version: 1.0\nContent-Type: multipart/mixed\n\nno boundary at all\n");
        Detection detection = detector.detect(message);
        assertThat(detection.attachments()).isEmpty();
        assertThat(detection.issues()).extracting(DetectionIssue::code).containsExactly(DetectionIssue.Code.UNREADABLE_PART);
    }
}
