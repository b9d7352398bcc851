import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.mail.Message;
import javax.mail.internet.MimeMessage;

import fr.mssante.operator.documents.testing.TestDocuments;

/**
 * For bench/resilience/dmp-outage.sh: N CR-BIO messages from the demo lab to the demo professional, each an
 * IHE_XDM.ZIP with one CDA (the test INS the DMP stand-in knows) whose unique id is 1.2.250.1.999.16^RUN-i, written as
 * OUT/i.eml (CRLF). java -cp documents/target/test-classes:documents/target/classes:DIST/lib/* LabMessages.java OUT N RUN DOMAIN
 */
public class LabMessages {
    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        String run = args[2];
        String domain = args[3];
        for (int i = 0; i < count; i++) {
            TestDocuments.Cda cda = TestDocuments.cda().withId("1.2.250.1.999.16", run + "-" + i)
                .withIns(TestDocuments.TEST_INS, TestDocuments.TEST_OID);
            byte[] zip = TestDocuments.xdmZip("SUBSET" + i, List.of(TestDocuments.XdmDocument.cda("DOC0001.XML", cda)), false);
            MimeMessage message = TestDocuments.message(run + "-" + i, TestDocuments.text("Résultats en pièce jointe"),
                TestDocuments.attachment(zip, "IHE_XDM.ZIP", "application/zip"));
            message.setFrom("laboratoire.resultats@" + domain);
            message.setRecipients(Message.RecipientType.TO, "alice.martin@" + domain);
            message.saveChanges();
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            message.writeTo(raw);
            String crlf = raw.toString(java.nio.charset.StandardCharsets.UTF_8).replace("\r\n", "\n").replace("\n", "\r\n");
            Files.writeString(out.resolve(i + ".eml"), crlf);
        }
    }
}
