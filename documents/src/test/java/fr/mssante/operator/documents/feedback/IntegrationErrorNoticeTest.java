package fr.mssante.operator.documents.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import javax.mail.BodyPart;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.testing.TestDocuments.XdmDocument;
import fr.mssante.operator.documents.testing.TestDocuments;

class IntegrationErrorNoticeTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T21:00:00Z"), ZoneOffset.UTC);

    private MimeMessage original() throws Exception {
        byte[] zip = TestDocuments.xdmZip("SUBSET01", List.of(XdmDocument.cda("DOC0001.XML", TestDocuments.cda().withIns(null, null))), false);
        MimeMessage original = TestDocuments.message("XDM/1.0/DDM+CR BIOLOGIE PAT-TROIS DOMINIQUE 28/03/1979",
            TestDocuments.attachment(zip, "IHE_XDM.ZIP", "application/zip"),
            TestDocuments.attachment(TestDocuments.pdf("p"), "20261123_CR_PAT-TROIS.pdf", "application/pdf"));
        return original;
    }

    private MimeMessage build(MimeMessage original, boolean reattach) throws Exception {
        MimeMessage notice = IntegrationErrorNotice.builder(CLOCK)
            .from(new InternetAddress("dr.martin@hop.mss.test"))
            .to(new InternetAddress("labo@lab.mss.test"))
            .finalRecipient("dr.martin@hop.mss.test")
            .originalRecipient("dr.martin@hop.mss.test")
            .original(original)
            .code(IntegrationErrorCode.INS_MISSING)
            .document(DocumentReference.of("Compte rendu de test", "1.2.250.1.999.1.1.1^DOC-1", "IHE_XDM.ZIP"))
            .reportingUa("MSS operator 0.1")
            .reattachDocuments(reattach)
            .build(TestDocuments.SESSION);
        return TestDocuments.parse(TestDocuments.bytes(notice));
    }

    @Test
    void ansStructure() throws Exception {
        MimeMessage original = original();
        MimeMessage notice = build(original, true);
        assertThat(notice.getSubject())
            .isEqualTo("[KO Intégration système !][903] XDM/1.0/DDM+CR BIOLOGIE PAT-TROIS DOMINIQUE 28/03/1979");
        assertThat(notice.getHeader("Auto-Submitted")).containsExactly("auto-replied");
        assertThat(notice.getHeader("In-Reply-To")).containsExactly(original.getMessageID());
        assertThat(notice.getMessageID()).startsWith("<20261123210000.").endsWith("@hop.mss.test>");
        assertThat(notice.getSentDate().toInstant()).isEqualTo(Instant.parse("2026-11-23T21:00:00Z"));
        ContentType type = new ContentType(notice.getContentType());
        assertThat(type.getBaseType()).isEqualTo("multipart/report");
        assertThat(type.getParameter("report-type")).isEqualTo("disposition-notification");

        MimeMultipart report = (MimeMultipart) notice.getContent();
        assertThat(report.getCount()).isEqualTo(5);
        assertThat(new ContentType(report.getBodyPart(0).getContentType()).getBaseType()).isEqualTo("text/plain");
        assertThat(new ContentType(report.getBodyPart(1).getContentType()).getBaseType()).isEqualTo("message/disposition-notification");
        assertThat(new ContentType(report.getBodyPart(2).getContentType()).getBaseType()).isEqualTo("message/rfc822");
        assertThat(report.getBodyPart(3).getFileName()).isEqualTo("IHE_XDM.ZIP");
        assertThat(report.getBodyPart(4).getFileName()).isEqualTo("20261123_CR_PAT-TROIS.pdf");

        String human = text(report.getBodyPart(0));
        assertThat(human).contains("n'a pas pu être intégré automatiquement pour la raison suivante : INS non présent dans le document (code 903)")
            .contains("« Compte rendu de test », identifiant 1.2.250.1.999.1.1.1^DOC-1, fichier IHE_XDM.ZIP")
            .contains(original.getMessageID());
        // the human text names the document, never the patient
        assertThat(human).doesNotContain("PAT-TROIS").doesNotContain("DOMINIQUE").doesNotContain("279035121518989");

        String machine = text(report.getBodyPart(1));
        assertThat(machine.split("\r\n")).containsExactly(
            "Reporting-UA: MSS operator 0.1",
            "Original-Recipient: rfc822;dr.martin@hop.mss.test",
            "Final-Recipient: rfc822;dr.martin@hop.mss.test",
            "Original-Message-ID: " + original.getMessageID(),
            "Disposition: automatic-action/MDN-sent-automatically; processed/Error: 903^INS non present dans le document",
            "Error: 903^INS non present dans le document");

        MimeMessage returned = TestDocuments.parse(bytes(report.getBodyPart(2)));
        assertThat(returned.getMessageID()).isEqualTo(original.getMessageID());
    }

    @Test
    void withoutReattachedDocuments() throws Exception {
        MimeMultipart report = (MimeMultipart) build(original(), false).getContent();
        assertThat(report.getCount()).isEqualTo(3);
        assertThat(text(report.getBodyPart(0))).contains("Le message d'origine est joint à cette notification.");
    }

    @Test
    void anOriginalNoLongerHeldIsNamedByItsMessageIdAndSubject() throws Exception {
        // a DMP outcome known after the message went on (the outcome notifier): one builder for every notice
        MimeMessage notice = TestDocuments.parse(TestDocuments.bytes(IntegrationErrorNotice.builder(CLOCK)
            .from(new InternetAddress("mailer-daemon@lab.mss.test"))
            .to(new InternetAddress("labo@lab.mss.test"))
            .finalRecipient("DMP")
            .originalUnavailable("<m1@lab.mss.test>", "XDM/1.0/DDM+CR d'examens biologiques")
            .code(IntegrationErrorCode.UNKNOWN_PATIENT)
            .detail("XDSUnknownPatientId: patient inconnu")
            .document(DocumentReference.of("CR d'examens biologiques", "1.2.250.1.999.1.2.3", null))
            .reportingUa("lab.mss.test; MSSante operator")
            .build(TestDocuments.SESSION)));

        assertThat(notice.getSubject()).isEqualTo("[KO Intégration système !][902] XDM/1.0/DDM+CR d'examens biologiques");
        assertThat(notice.getHeader("In-Reply-To")).containsExactly("<m1@lab.mss.test>");
        MimeMultipart report = (MimeMultipart) notice.getContent();
        assertThat(report.getCount()).as("no original to return").isEqualTo(2);
        assertThat(text(report.getBodyPart(0))).contains("Identifiant patient inconnu (code 902)")
            .contains("identifiant 1.2.250.1.999.1.2.3").contains("XDSUnknownPatientId").doesNotContain("est joint");
        assertThat(text(report.getBodyPart(1)).split("\r\n")).contains("Original-Message-ID: <m1@lab.mss.test>",
            "Disposition: automatic-action/MDN-sent-automatically; processed/Error: 902^Identifiant patient inconnu");
    }

    @Test
    void codesAndLabels() {
        assertThat(IntegrationErrorCode.values()).extracting(IntegrationErrorCode::code).containsExactly(900, 901, 902, 903, 904, 905, 906);
        assertThat(IntegrationErrorCode.of(905)).contains(IntegrationErrorCode.INS_INCOMPLETE);
        assertThat(IntegrationErrorCode.INS_INCOMPLETE.label()).isEqualTo("L'INS transmis n'est pas complet");
        assertThat(IntegrationErrorCode.of(907)).isEmpty();
        assertThat(IntegrationErrorNotice.ascii("Version du document incorrecte lors d’une demande"))
            .isEqualTo("Version du document incorrecte lors d'une demande");
    }

    private static String text(BodyPart part) throws Exception {
        return new String(bytes(part), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(BodyPart part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
