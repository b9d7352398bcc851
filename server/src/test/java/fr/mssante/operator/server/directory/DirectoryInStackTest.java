package fr.mssante.operator.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;

import fr.mssante.operator.directory.load.DirectoryImporter;
import fr.mssante.operator.directory.load.ImportListener;
import fr.mssante.operator.directory.load.ImportOptions;
import fr.mssante.operator.directory.load.ImportResult;
import fr.mssante.operator.directory.load.ImportStatus;
import fr.mssante.operator.directory.source.SourceOpener;
import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator;
import fr.mssante.operator.server.testing.TestServer;

/** The running stack serves the imported national directory over LDAP (development: anonymous, loopback). */
class DirectoryInStackTest {
    @Test
    void anImportedMailboxIsFoundOverLdap() throws Exception {
        TestServer server = TestServer.shared();
        Path file = Files.createTempDirectory("mss-dir-").resolve("Extraction_Correspondance_MSSante.txt");
        new SyntheticExtractionGenerator(SyntheticExtractionGenerator.Options.defaults()).writeMailboxes(file, 300);
        List<ImportResult> results = new DirectoryImporter(server.runtime().database().dataSource(),
            SourceOpener.withDefaults(), Clock.systemUTC()).importSource(file.toString(), ImportOptions.defaults().withForce(true), ImportListener.NONE); // other tests share the database
        assertThat(results).extracting(ImportResult::status).containsOnly(ImportStatus.APPLIED);

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int column = Arrays.asList(lines.get(0).replace("\uFEFF", "").split("\\|")).indexOf("Adresse BAL");
        String address = lines.get(1).split("\\|")[column];

        try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", server.runtime().ldapPort().orElseThrow())) {
            SearchResult found = ldap.search("ou=annuaire,dc=mssante,dc=fr", SearchScope.SUB, "(mail=" + address + ")");
            assertThat(found.getEntryCount()).isEqualTo(1);
            assertThat(found.getSearchEntries().get(0).getAttributeValue("mail")).isEqualToIgnoringCase(address);
        }
        // the same over LDAPS (implicit TLS with the server's identity, trusted through the development CA)
        try (LDAPConnection ldaps = new LDAPConnection(server.clientTls().getSocketFactory(), "127.0.0.1",
            server.runtime().ldapsPort().orElseThrow())) {
            SearchResult found = ldaps.search("ou=annuaire,dc=mssante,dc=fr", SearchScope.SUB, "(mail=" + address + ")");
            assertThat(found.getEntryCount()).isEqualTo(1);
        }
    }

    /**
     * Issue 12 #6/#13 in the stack: a search whose filter nests 10,000 NOTs is answered (unwillingToPerform, then a
     * notice of disconnection) and the connection is closed by the server, instead of a dead thread and a socket left
     * in CLOSE-WAIT; the limits come from MSS_LDAP_MAX_* (defaults here).
     */
    @Test
    void aHostileNestedFilterIsRefusedAndTheServerClosesTheConnection() throws Exception {
        TestServer server = TestServer.shared();
        byte[] filter = {(byte) 0x87, 11, 'o', 'b', 'j', 'e', 'c', 't', 'C', 'l', 'a', 's', 's'};
        java.io.ByteArrayOutputStream nested = new java.io.ByteArrayOutputStream();
        java.util.Deque<byte[]> headers = new java.util.ArrayDeque<>();
        long size = filter.length;
        for (int i = 0; i < 10_000; i++) {
            byte[] header = size < 0x80 ? new byte[] {(byte) 0xA2, (byte) size}
                : size < 0x100 ? new byte[] {(byte) 0xA2, (byte) 0x81, (byte) size}
                : new byte[] {(byte) 0xA2, (byte) 0x82, (byte) (size >>> 8), (byte) size};
            headers.push(header);
            size += header.length;
        }
        headers.forEach(nested::writeBytes);
        nested.writeBytes(filter);
        com.unboundid.asn1.ASN1Element search = new com.unboundid.asn1.ASN1Sequence(
            new com.unboundid.asn1.ASN1Integer(5),
            new com.unboundid.asn1.ASN1Element((byte) 0x63, concat(
                new com.unboundid.asn1.ASN1OctetString("ou=annuaire,dc=mssante,dc=fr").encode(),
                new byte[] {0x0A, 1, 2, 0x0A, 1, 0, 0x02, 1, 0, 0x02, 1, 0, 0x01, 1, 0},
                nested.toByteArray(), new byte[] {0x30, 0})));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.runtime().ldapPort().orElseThrow())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(search.encode());
            com.unboundid.asn1.ASN1StreamReader reader = new com.unboundid.asn1.ASN1StreamReader(socket.getInputStream());
            com.unboundid.ldap.protocol.LDAPMessage done = com.unboundid.ldap.protocol.LDAPMessage.readFrom(reader, false);
            assertThat(done.getSearchResultDoneProtocolOp().getResultCode())
                .isEqualTo(com.unboundid.ldap.sdk.ResultCode.UNWILLING_TO_PERFORM_INT_VALUE);
            com.unboundid.ldap.protocol.LDAPMessage notice = com.unboundid.ldap.protocol.LDAPMessage.readFrom(reader, false);
            assertThat(notice.getExtendedResponseProtocolOp().getResponseOID()).isEqualTo("1.3.6.1.4.1.1466.20036");
            assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
