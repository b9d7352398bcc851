package fr.mssante.operator.documents.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import fr.mssante.operator.documents.testing.HostileXml;
import fr.mssante.operator.documents.testing.HostileZips;
import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.documents.testing.TestDocuments.Cda;
import fr.mssante.operator.documents.testing.TestDocuments.XdmDocument;

/**
 * Writes the seed corpus of {@link DocumentsFuzzTest}: synthetic, non-secret inputs only (ANS test INS, generated
 * PDFs). Run: {@code java -cp <test classpath> fr.mssante.operator.documents.fuzz.DocumentsFuzzCorpusGenerator
 * src/test/resources/fr/mssante/operator/documents/fuzz/DocumentsFuzzTestInputs}
 */
public final class DocumentsFuzzCorpusGenerator {
    private DocumentsFuzzCorpusGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[0]));
        Cda n1 = TestDocuments.cda().withBody(Cda.Body.N1_PDF, TestDocuments.pdf("n1"));
        Cda n3 = TestDocuments.cda().withBody(Cda.Body.N3_PDF, TestDocuments.pdf("n3"));
        byte[] xdm = TestDocuments.xdmZip("SUBSET01", List.of(XdmDocument.cda("DOC0001.XML", n1)), false);
        byte[] drim = TestDocuments.xdmZip("SS000001", List.of(XdmDocument.cda("DOC0001.XML", n3).withUri("SS000001/DOC0001.XML")), true);

        write(out, "valid-xdm.zip", xdm);
        write(out, "valid-xdm-drim.zip", drim);
        write(out, "valid-cda-n1.xml", n1.bytes());
        write(out, "valid-cda-n3.xml", n3.bytes());
        write(out, "valid-cda-structured.xml", TestDocuments.cda().withBody(Cda.Body.STRUCTURED_NO_PDF, null).bytes());
        write(out, "valid-metadata.xml", TestDocuments.metadata(List.of(XdmDocument.cda("DOC0001.XML", n1)), false)
            .getBytes(StandardCharsets.UTF_8));
        write(out, "valid-metadata-fragment.xml", TestDocuments.metadata(List.of(XdmDocument.cda("DOC0001.XML", n1)), true)
            .getBytes(StandardCharsets.UTF_8));
        write(out, "valid-message.eml", TestDocuments.bytes(TestDocuments.message("XDM/1.0/DDM+CR",
            TestDocuments.attachment(xdm, "IHE_XDM.ZIP", "application/zip"),
            TestDocuments.attachment(TestDocuments.pdf("beside"), "cr.pdf", "application/pdf"))));
        for (int fraction : new int[] {10, 33, 50, 75, 95}) {
            write(out, "truncated-xdm-" + fraction + ".zip", Arrays.copyOf(xdm, xdm.length * fraction / 100));
            byte[] cda = n1.bytes();
            write(out, "truncated-cda-" + fraction + ".xml", Arrays.copyOf(cda, cda.length * fraction / 100));
        }
        Random random = new Random(20261123);
        for (int i = 0; i < 5; i++) {
            byte[] flipped = xdm.clone();
            for (int j = 0; j < 4; j++) {
                flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
            }
            write(out, "flipped-xdm-" + i + ".zip", flipped);
            byte[] noise = new byte[64 + random.nextInt(2000)];
            random.nextBytes(noise);
            write(out, "random-" + i + ".bin", noise);
        }
        write(out, "zip-slip.zip", HostileZips.named("../../evil"));
        write(out, "zip-absolute.zip", HostileZips.named("/etc/passwd"));
        write(out, "zip-backslash.zip", HostileZips.named("..\\..\\evil.bat"));
        write(out, "zip-bomb-small.zip", HostileZips.bomb("IHE_XDM/SUBSET01/DOC0001.XML", 4L << 20));
        write(out, "zip-many.zip", HostileZips.manyEntries(300));
        write(out, "zip-encrypted.zip", HostileZips.encryptedFlag(xdm));
        Map<String, byte[]> dup = new LinkedHashMap<>();
        dup.put("A.XML", new byte[] {1});
        dup.put("a.xml", new byte[] {2});
        write(out, "zip-duplicate.zip", TestDocuments.zip(dup));
        write(out, "cda-xxe.xml", n1.withProlog(HostileXml.xxe("ClinicalDocument")).xml().replace("Compte rendu de test", "&xxe;")
            .getBytes(StandardCharsets.UTF_8));
        write(out, "cda-billion-laughs.xml", n1.withProlog(HostileXml.billionLaughs("ClinicalDocument")).xml()
            .replace("Compte rendu de test", "&lol9;").getBytes(StandardCharsets.UTF_8));
        write(out, "cda-bad-base64.xml", n1.xml().replaceAll("(?s)(representation=\"B64\">).*?(</text>)", "$1%%%%$2")
            .getBytes(StandardCharsets.UTF_8));
        write(out, "cda-deep.xml", n1.xml().replace("<title>Compte rendu de test</title>", "<title>" + "<a>".repeat(400)
            + "</a>".repeat(400) + "</title>").getBytes(StandardCharsets.UTF_8));
        write(out, "metadata-xxe.xml", (HostileXml.xxe("SubmitObjectsRequest") + "\n<SubmitObjectsRequest>&xxe;</SubmitObjectsRequest>")
            .getBytes(StandardCharsets.UTF_8));
        write(out, "not-cda.xml", "<ClinicalDocument xmlns=\"urn:other\"/>".getBytes(StandardCharsets.UTF_8));
        write(out, "empty.bin", new byte[0]);
        write(out, "mime-no-boundary.eml", "Content-Type: multipart/mixed\r\n\r\n--\r\n".getBytes(StandardCharsets.US_ASCII));
        write(out, "mime-bad-base64.eml", ("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/zip; "
            + "name=IHE_XDM.ZIP\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDB%%%\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII));
        StringBuilder nested = new StringBuilder("Content-Type: multipart/mixed; boundary=n0\r\n\r\n");
        for (int i = 1; i < 100; i++) {
            nested.append("--n").append(i - 1).append("\r\nContent-Type: multipart/mixed; boundary=n").append(i).append("\r\n\r\n");
        }
        write(out, "mime-nested-100.eml", nested.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static void write(Path dir, String name, byte[] data) throws Exception {
        Files.write(dir.resolve(name), data);
    }
}
