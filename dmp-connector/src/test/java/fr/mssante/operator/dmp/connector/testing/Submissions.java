package fr.mssante.operator.dmp.connector.testing;

import fr.mssante.operator.dmp.outbox.Code;
import fr.mssante.operator.dmp.outbox.DocumentAuthor;
import fr.mssante.operator.dmp.outbox.DocumentMetadata;
import fr.mssante.operator.dmp.outbox.Institution;
import fr.mssante.operator.dmp.outbox.PatientIdentity;
import fr.mssante.operator.dmp.outbox.Submission;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Synthetic CR-BIO-like submissions. The patient is the ANS test INS of the CI-SIS CR-BIO examples
 * (279035121518989, OID 1.2.250.1.213.1.4.10 "INS-NIR de test"): no real person.
 */
public final class Submissions {
    public static final String TEST_INS = "279035121518989";
    public static final String TEST_INS_OID = "1.2.250.1.213.1.4.10";
    public static final String SENDER_ID = "810001234567";

    private Submissions() {
    }

    public static Submission crBio(String messageId, String documentUniqueId) {
        return crBio(messageId, documentUniqueId, TEST_INS, 2_000);
    }

    /** A CDA-shaped document of about {@code approximateSize} bytes for patient {@code ins}. */
    public static Submission crBio(String messageId, String documentUniqueId, String ins, int approximateSize) {
        StringBuilder cda = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ClinicalDocument "
            + "xmlns=\"urn:hl7-org:v3\"><id root=\"" + documentUniqueId + "\"/><code code=\"11502-2\" "
            + "codeSystem=\"2.16.840.1.113883.6.1\"/><title>Compte rendu d'examens biologiques</title>"
            + "<component><structuredBody>");
        while (cda.length() < approximateSize) {
            cda.append("<section><text>TSH 1.2 mUI/L (0.4-4.0)</text></section>");
        }
        cda.append("</structuredBody></component></ClinicalDocument>\n");
        DocumentMetadata m = new DocumentMetadata(documentUniqueId, documentUniqueId + ".1",
            "Compte rendu d'examens biologiques",
            new Code("11502-2", "2.16.840.1.113883.6.1", "CR d'examens biologiques"),
            new Code("urn:ihe:lab:xd-lab:2008", "1.3.6.1.4.1.19376.1.2.3", "CR d'examens biologiques"),
            new Code("N", "2.16.840.1.113883.5.25", "Normal"), "fr-FR", Instant.parse("2026-11-20T16:10:00Z"),
            Instant.parse("2026-11-20T08:00:00Z"), null,
            new PatientIdentity(ins, TEST_INS_OID, "PAT-TROIS", "DOMINIQUE MARIE-LOUISE",
                LocalDate.of(1979, 3, 28), "F"),
            new DocumentAuthor(SENDER_ID, "KIT", "DOC", new Code("10", "1.2.250.1.71.1.2.7", "Médecin"),
                new Code("G15_10/SM03", "1.2.250.1.213.1.1.4.5", "Médecin - Biologie médicale (SM)")),
            new Institution("LABORATOIRE DE TEST", "3123456789"));
        return new Submission(messageId, "doc.kit@lab.mssante.test", SENDER_ID, "text/xml",
            cda.toString().getBytes(StandardCharsets.UTF_8), null, m);
    }
}
