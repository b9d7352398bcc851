package fr.mssante.operator.extensions.dmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.feedback.IntegrationErrorCode;

class IntegrationErrorNotificationTest {
    @Test
    void theNotificationIsAnMdnWithTheAnsCodeAndNoMedicalContent() throws Exception {
        MimeMessage built = IntegrationErrorNotification.build(IntegrationErrorCode.INS_MISSING, "demo.mss.test",
            "labo@demo.mss.test", "dr.x@demo.mss.test", "CR-BIO Dupont", "<m1@demo.mss.test>", "CR d'examens biologiques",
            "1.2.250.1.999.1.2.3", Optional.empty());
        String raw = new String(IntegrationErrorNotification.bytes(built), StandardCharsets.UTF_8);
        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));

        assertThat(parsed.getSubject()).isEqualTo("[KO Intégration système !][903] XDM/1.0/DDM+CR-BIO Dupont");
        assertThat(parsed.getContentType()).contains("multipart/report").contains("report-type=disposition-notification");
        assertThat(parsed.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        MimeMultipart parts = (MimeMultipart) parsed.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat((String) parts.getBodyPart(0).getContent()).contains("CR d'examens biologiques").contains("INS non présent dans le document")
            .contains("1.2.250.1.999.1.2.3");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("message/disposition-notification");
        assertThat(raw).contains("Disposition: automatic-action/MDN-sent-automatically; processed/Error: 903^INS non present dans le document")
            .contains("Original-Message-ID: <m1@demo.mss.test>").contains("Original-Recipient: rfc822;dr.x@demo.mss.test");
    }
}
