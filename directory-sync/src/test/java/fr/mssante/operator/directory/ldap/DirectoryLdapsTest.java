package fr.mssante.operator.directory.ldap;

import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import fr.mssante.operator.directory.load.DirectoryImporter;
import fr.mssante.operator.directory.load.ImportListener;
import fr.mssante.operator.directory.load.ImportOptions;
import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.source.SourceOpener;
import fr.mssante.operator.directory.testing.EmbeddedDirectory;
import fr.mssante.operator.directory.testing.Fixtures;
import fr.mssante.operator.directory.testing.TestTls;
import fr.mssante.operator.testsupport.RequiredTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
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

/** LDAPS (implicit TLS) and StartTLS with a certificate chain generated for the run. */
class DirectoryLdapsTest {

    private static final String BASE = "ou=annuaire,dc=mssante,dc=fr";
    private static final String READER = "cn=reader," + BASE;
    private static final String PASSWORD = HexFormat.of().formatHex(SecureRandom.getSeed(12));
    private static final Path LDAPSEARCH = Path.of("/usr/bin/ldapsearch");
    private static EmbeddedDirectory postgres;
    private static DirectoryLdapServer server;
    private static TestTls pki;
    private static Path caPem;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedDirectory.start();
        var db = postgres.newDatabase();
        Path dir = Files.createTempDirectory("directory-ldaps");
        Path file = Fixtures.mailboxFile(dir, "Extraction_Correspondance_MSSante.txt", List.of(
            Fixtures.mailbox("PER", "Helene.Dupont@medecin.mssante.fr", "810001234567", "DUPONT", "Hélène", "10",
                "Médecin", "SM54", "Médecine Générale", null, "42000", "SAINT-ÉTIENNE"),
            Fixtures.mailbox("ORG", "accueil@ch-beziers.mssante.fr", null, null, null, null, null, null, null,
                "CENTRE HOSPITALIER DE BÉZIERS", "34500", "BÉZIERS")));
        new DirectoryImporter(db, new SourceOpener(java.net.http.HttpClient.newHttpClient(), dir), Clock.systemUTC())
            .importSource(file.toString(), ImportOptions.defaults(), ImportListener.NONE);
        pki = TestTls.generate();
        caPem = pki.writeCaPem(dir);
        LdapTls tls = LdapTls.of(LdapTls.fromKeyManagers(pki.serverKeyManagers()), 0);
        server = new DirectoryLdapServer(new LdapServerConfig("127.0.0.1", 0, BASE, false, 10, null,
            LdapAuthenticator.single(READER, PASSWORD)).withTls(tls), new DirectoryLookup(db));
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        postgres.close();
    }

    @Test
    void ldapsearchFindsAnEntryOverLdapsTrustingOnlyTheGeneratedCa() throws Exception {
        RequiredTools.require(LDAPSEARCH.toString(), "ldap-utils");
        String output = ldapsearch("-H", "ldaps://127.0.0.1:" + server.ldapsPort().getAsInt());

        assertThat(output).contains("dn: mail=Helene.Dupont@medecin.mssante.fr," + BASE)
            .contains("mssNationalId: 810001234567");
    }

    @Test
    void ldapsearchFindsAnEntryAfterStartTlsOnThePlainPort() throws Exception {
        RequiredTools.require(LDAPSEARCH.toString(), "ldap-utils");
        String output = ldapsearch("-ZZ", "-H", "ldap://127.0.0.1:" + server.port());

        assertThat(output).contains("mail: Helene.Dupont@medecin.mssante.fr");
    }

    private static String ldapsearch(String... connection) throws Exception {
        List<String> command = new ArrayList<>(List.of(LDAPSEARCH.toString(), "-x", "-LLL", "-o", "ldif-wrap=no",
            "-o", "nettimeout=20"));
        command.addAll(List.of(connection));
        command.addAll(List.of("-D", READER, "-w", PASSWORD, "-b", BASE, "(sn=dupont)", "mail", "mssNationalId"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LDAPTLS_CACERT", caPem.toString());
        builder.environment().put("LDAPTLS_REQCERT", "demand");
        Process p = builder.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void anUnboundIdClientBindsAndSearchesOverLdapsWithTls12OrLater() throws Exception {
        SSLContext client = pki.clientContext();
        try (LDAPConnection c = new LDAPConnection(client.getSocketFactory(), "127.0.0.1",
            server.ldapsPort().getAsInt())) {
            c.bind(READER, PASSWORD);
            SearchResult result = c.search(BASE, SearchScope.SUB, "(o=*beziers*)", "mail");

            assertThat(result.getSearchEntries()).singleElement()
                .satisfies(e -> assertThat(e.getAttributeValue("mail")).isEqualTo("accueil@ch-beziers.mssante.fr"));
            assertThat(c.getSSLSession().getProtocol()).isIn(LdapTls.PROTOCOLS);
        }
    }

    @Test
    void passwordsAreRefusedBeforeStartTlsAndAcceptedAfter() throws Exception {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", server.port())) {
            assertThat(c.getRootDSE().getSupportedExtendedOperationOIDs())
                .contains(StartTLSExtendedRequest.STARTTLS_REQUEST_OID);
            assertThatThrownBy(() -> c.bind(READER, PASSWORD)).isInstanceOfSatisfying(LDAPException.class,
                e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.CONFIDENTIALITY_REQUIRED));
            assertThatThrownBy(() -> c.search(BASE, SearchScope.SUB, "(sn=dupont)"))
                .isInstanceOfSatisfying(LDAPSearchException.class,
                    e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS));

            ExtendedResult startTls = c.processExtendedOperation(new StartTLSExtendedRequest(pki.clientContext()));

            assertThat(startTls.getResultCode()).isEqualTo(ResultCode.SUCCESS);
            c.bind(READER, PASSWORD);
            assertThat(c.search(BASE, SearchScope.SUB, "(sn=dupont)").getEntryCount()).isEqualTo(1);
        }
    }

    @Test
    void onlyTls13And12AreEnabledEvenWhenTheContextOffersOlderProtocols() throws Exception {
        LdapTls tls = LdapTls.of(LdapTls.fromKeyManagers(pki.serverKeyManagers()), 0);
        try (SSLServerSocket socket = (SSLServerSocket) TlsSocketFactories.serverSockets(tls).createServerSocket(0)) {
            assertThat(socket.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
            assertThat(socket.getNeedClientAuth()).isFalse();
        }
        try (java.net.ServerSocket listening = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             java.net.Socket plain = new java.net.Socket(listening.getInetAddress(), listening.getLocalPort());
             javax.net.ssl.SSLSocket wrapped = (javax.net.ssl.SSLSocket) TlsSocketFactories.startTlsSockets(tls)
                 .createSocket(plain, "127.0.0.1", listening.getLocalPort(), false)) {
            assertThat(wrapped.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        }
    }

    /**
     * Issue 12 #6 and #13 over TLS: after StartTLS UnboundID reads with no size limit at all, and LDAPS is decoded by
     * the same recursive decoder; both are measured before decoding, like the plain port.
     */
    @Test
    void afterStartTlsAnOversizedMessageIsRefusedAndTheConnectionClosed() throws Exception {
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", server.port())) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write(LdapWire.startTls(1));
            com.unboundid.ldap.protocol.LDAPMessage started = com.unboundid.ldap.protocol.LDAPMessage.readFrom(
                new com.unboundid.asn1.ASN1StreamReader(raw.getInputStream()), false);
            assertThat(started.getExtendedResponseProtocolOp().getResultCode()).isEqualTo(ResultCode.SUCCESS_INT_VALUE);
            try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) pki.clientContext().getSocketFactory()
                .createSocket(raw, "127.0.0.1", server.port(), true)) {
                tls.startHandshake();
                // announces 100 MB and sends only the start
                tls.getOutputStream().write(new byte[] {0x30, (byte) 0x84, 0x05, (byte) 0xF5, (byte) 0xE1, 0x00, 0x02, 0x01, 0x02});
                tls.getOutputStream().flush();

                assertThat(LdapWire.readUntilClosed(tls)).singleElement().satisfies(notice -> assertThat(
                    notice.getExtendedResponseProtocolOp().getDiagnosticMessage()).contains("exceeds the limit"));
            }
        }
    }

    @Test
    void overLdapsADeeplyNestedFilterIsRefusedAndTheConnectionClosed() throws Exception {
        try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) pki.clientContext().getSocketFactory()
            .createSocket("127.0.0.1", server.ldapsPort().getAsInt())) {
            tls.startHandshake();
            tls.getOutputStream().write(LdapWire.search(3, BASE, LdapWire.nestedNots(10_000)));
            tls.getOutputStream().flush();

            List<com.unboundid.ldap.protocol.LDAPMessage> answers = LdapWire.readUntilClosed(tls);

            assertThat(answers).hasSize(2);
            assertThat(answers.get(0).getSearchResultDoneProtocolOp().getResultCode())
                .isEqualTo(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE);
        }
        try (LDAPConnection c = new LDAPConnection(pki.clientContext().getSocketFactory(), "127.0.0.1",
            server.ldapsPort().getAsInt())) {
            c.bind(READER, PASSWORD);
            assertThat(c.search(BASE, SearchScope.SUB, "(sn=dupont)").getEntryCount()).isEqualTo(1);
        }
    }
}
