package fr.mssante.operator.dmp.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/** Synthetic submissions (INS from the ANS test range, OID .10; no real person). */
final class SampleSubmissions {
    private SampleSubmissions() {
    }

    static Submission of(String messageId, String documentUniqueId) {
        byte[] cda = ("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id root=\"" + documentUniqueId + "\"/>"
            + "</ClinicalDocument>").getBytes(StandardCharsets.UTF_8);
        DocumentMetadata m = new DocumentMetadata(documentUniqueId, documentUniqueId + ".0", "Compte rendu",
            new Code("11502-2", "2.16.840.1.113883.6.1", "CR d'examens biologiques"),
            new Code("urn:ihe:lab:xd-lab:2008", "1.3.6.1.4.1.19376.1.2.3", "CR-BIO"),
            new Code("N", "2.16.840.1.113883.5.25", "Normal"), "fr-FR", Instant.parse("2026-11-20T10:15:00Z"),
            null, null,
            new PatientIdentity("279035121518989", "1.2.250.1.213.1.4.10", "CORSE", "FIGATELLIX",
                LocalDate.of(1988, 10, 12), "M"),
            new DocumentAuthor("810001234567", "KIT", "DOC", new Code("10", "1.2.250.1.71.1.2.7", "Médecin"), null),
            new Institution("Laboratoire de test", "3123456789"));
        return new Submission(messageId, "labo@lab.mssante.test", "810001234567", "text/xml", cda, null, m);
    }
}
