package fr.mssante.operator.directory.ldap;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import fr.mssante.operator.directory.load.DirectoryImporter;
import fr.mssante.operator.directory.load.ImportListener;
import fr.mssante.operator.directory.load.ImportOptions;
import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.source.SourceOpener;
import fr.mssante.operator.directory.testing.EmbeddedDirectory;
import fr.mssante.operator.directory.testing.Fixtures;
import fr.mssante.operator.testsupport.RequiredTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectoryLdapServerTest {

    private static final String BASE = "ou=annuaire,dc=mssante,dc=fr";
    private static final String READER = "cn=reader," + BASE;
    private static final String PASSWORD = HexFormat.of().formatHex(SecureRandom.getSeed(12));
    private static EmbeddedDirectory postgres;
    private static DirectoryLdapServer server;
    private static DirectoryLdapServer anonymousServer;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedDirectory.start();
        var db = postgres.newDatabase();
        Path dir = Files.createTempDirectory("directory-ldap");
        List<String> lines = new ArrayList<>(List.of(
            Fixtures.mailbox("PER", "Helene.Dupont@medecin.mssante.fr", "810001234567", "DUPONT", "Hélène", "10",
                "Médecin", "SM54", "Médecine Générale", null, "42000", "SAINT-ÉTIENNE"),
            Fixtures.mailbox("ORG", "accueil@ch-beziers.mssante.fr", null, null, null, null, null, null, null,
                "CENTRE HOSPITALIER DE BÉZIERS", "34500", "BÉZIERS")));
        for (int i = 0; i < 25; i++) {
            lines.add(Fixtures.mailbox("PER", "kine" + i + "@masseur-kinesitherapeute.mssante.fr", "8100055500" + (10 + i),
                "LEFÈVRE", "Zoé", "70", "Masseur-Kinésithérapeute", null, null, null, "25000", "BESANÇON"));
        }
        Path file = Fixtures.mailboxFile(dir, "Extraction_Correspondance_MSSante.txt", lines);
        new DirectoryImporter(db, new SourceOpener(java.net.http.HttpClient.newHttpClient(), dir), Clock.systemUTC())
            .importSource(file.toString(), ImportOptions.defaults(), ImportListener.NONE);
        DirectoryLookup lookup = new DirectoryLookup(db);
        server = new DirectoryLdapServer(new LdapServerConfig("127.0.0.1", 0, BASE, false, 10, null,
            LdapAuthenticator.single(READER, PASSWORD)), lookup);
        server.start();
        anonymousServer = new DirectoryLdapServer(LdapServerConfig.development(0, BASE), lookup);
        anonymousServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        anonymousServer.close();
        postgres.close();
    }

    private static LDAPConnection bound() throws LDAPException {
        LDAPConnection c = new LDAPConnection("127.0.0.1", server.port());
        c.bind(READER, PASSWORD);
        return c;
    }

    @Test
    void theLdapsearchClientFindsAnAccentedNameWrittenWithoutAccents() throws Exception {
        Path ldapsearch = RequiredTools.require("ldapsearch", "ldap-utils");
        Process p = new ProcessBuilder(ldapsearch.toString(), "-x", "-LLL", "-o", "ldif-wrap=no",
            "-H", "ldap://127.0.0.1:" + server.port(), "-D", READER, "-w", PASSWORD, "-b", BASE,
            "(&(givenName=helene)(sn=dupont))", "mail", "givenName", "l", "mssNationalId")
            .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("dn: mail=Helene.Dupont@medecin.mssante.fr," + BASE)
            .contains("mail: Helene.Dupont@medecin.mssante.fr")
            .contains("mssNationalId: 810001234567")
            .contains("givenName:: " + java.util.Base64.getEncoder().encodeToString("Hélène".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "(cn=*helene*);1",
        "(sn=LEFEVRE);25",
        "(&(sn=lef*)(l=besancon));25",
        "(mail=HELENE.DUPONT@MEDECIN.MSSANTE.FR);1",
        "(|(o=*beziers*)(givenName=hélène));2",
        "(&(objectClass=inetOrgPerson)(!(mssMailboxKind=PER)));1",
        "(title=*kinesi*);25",
        "(businessCategory=medecine generale);1",
        "(mssNationalId=810001234567);1",
        "(unknownAttribute=x);0",
        "(sn=*);27"})
    void filtersAreTranslatedIgnoringAccentsAndCase(String filter, int expected) throws Exception {
        try (LDAPConnection c = bound()) {
            assertThat(allPages(c, filter)).hasSize(expected).doesNotHaveDuplicates();
        }
    }

    /** Follows the paged results cookies; asks for 100 a page, the server caps pages at its limit (10 here). */
    private static List<String> allPages(LDAPConnection c, String filter) throws Exception {
        List<String> seen = new ArrayList<>();
        com.unboundid.asn1.ASN1OctetString cookie = null;
        do {
            SearchRequest request = new SearchRequest(BASE, SearchScope.SUB, Filter.create(filter), "mail");
            request.addControl(new SimplePagedResultsControl(100, cookie));
            SearchResult result = c.search(request);
            assertThat(result.getEntryCount()).isLessThanOrEqualTo(10);
            result.getSearchEntries().forEach(e -> seen.add(e.getDN()));
            cookie = SimplePagedResultsControl.get(result).getCookie();
        } while (cookie != null && cookie.getValueLength() > 0);
        return seen;
    }

    @Test
    void aSearchBeyondTheServerLimitReturnsTheLimitAndSaysSo() throws Exception {
        try (LDAPConnection c = bound()) {
            assertThatThrownBy(() -> c.search(BASE, SearchScope.SUB, "(sn=lefevre)"))
                .isInstanceOfSatisfying(LDAPSearchException.class, e -> {
                    assertThat(e.getResultCode()).isEqualTo(ResultCode.SIZE_LIMIT_EXCEEDED);
                    assertThat(e.getEntryCount()).isEqualTo(10);
                });
            SearchRequest small = new SearchRequest(BASE, SearchScope.SUB, "(sn=lefevre)");
            small.setSizeLimit(3);
            assertThatThrownBy(() -> c.search(small)).isInstanceOfSatisfying(LDAPSearchException.class,
                e -> assertThat(e.getEntryCount()).isEqualTo(3));
        }
    }

    @Test
    void pagedResultsWalkAllEntries() throws Exception {
        try (LDAPConnection c = bound()) {
            List<String> seen = new ArrayList<>();
            int pages = 0;
            com.unboundid.asn1.ASN1OctetString cookie = null;
            do {
                SearchRequest request = new SearchRequest(BASE, SearchScope.SUB, "(sn=lefevre)", "mail");
                request.addControl(new SimplePagedResultsControl(10, cookie));
                SearchResult result = c.search(request);
                result.getSearchEntries().forEach(e -> seen.add(e.getAttributeValue("mail")));
                cookie = SimplePagedResultsControl.get(result).getCookie();
                pages++;
            } while (cookie != null && cookie.getValueLength() > 0);

            assertThat(pages).isEqualTo(3);
            assertThat(seen).hasSize(25).doesNotHaveDuplicates();
        }
    }

    @Test
    void anEntryCanBeReadByItsDn() throws Exception {
        try (LDAPConnection c = bound()) {
            SearchResultEntry entry = c.getEntry("mail=accueil@ch-beziers.mssante.fr," + BASE);
            assertThat(entry).isNotNull();
            assertThat(entry.getAttributeValue("mssMailboxKind")).isEqualTo("ORG");
            assertThat(entry.getAttributeValue("cn")).isEqualTo("CENTRE HOSPITALIER DE BÉZIERS");
            assertThat(entry.getObjectClassValues()).contains("inetOrgPerson");
            assertThat(c.getEntry("mail=nobody@x.mssante.fr," + BASE)).isNull();
            assertThat(c.getRootDSE().getNamingContextDNs()).containsExactly(BASE);
        }
    }

    @Test
    void anonymousAndWrongPasswordsAreRefusedOutsideDevelopment() throws Exception {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", server.port())) {
            assertThatThrownBy(() -> c.search(BASE, SearchScope.SUB, "(sn=dupont)"))
                .isInstanceOfSatisfying(LDAPSearchException.class,
                    e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS));
            assertThatThrownBy(() -> c.bind(READER, "wrong"))
                .isInstanceOfSatisfying(LDAPException.class,
                    e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS));
            assertThatThrownBy(() -> c.bind("", ""))
                .isInstanceOfSatisfying(LDAPException.class,
                    e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INAPPROPRIATE_AUTHENTICATION));
        }
        try (LDAPConnection dev = new LDAPConnection("127.0.0.1", anonymousServer.port())) {
            assertThat(dev.search(BASE, SearchScope.SUB, "(sn=dupont)").getEntryCount()).isEqualTo(1);
        }
    }

    @Test
    void writesAreRefused() throws Exception {
        try (LDAPConnection c = bound()) {
            assertThatThrownBy(() -> c.delete("mail=accueil@ch-beziers.mssante.fr," + BASE))
                .isInstanceOfSatisfying(LDAPException.class,
                    e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM));
        }
    }
}
