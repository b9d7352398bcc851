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
}
