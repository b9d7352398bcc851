package fr.mssante.operator.directory.ldap;

import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import fr.mssante.operator.directory.load.DirectoryImporter;
import fr.mssante.operator.directory.load.ImportListener;
import fr.mssante.operator.directory.load.ImportOptions;
import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.source.SourceOpener;
import fr.mssante.operator.directory.testing.EmbeddedDirectory;
import fr.mssante.operator.directory.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12 #6 and #13: the directory LDAP server bounds what one client may send before it is authenticated — message
 * size, nesting depth of a request (a search filter of 10,000 nested NOTs), connections per address — with a clear
 * LDAP answer, and closes the connection (no thread lost, no socket left in CLOSE-WAIT).
 */
class DirectoryLdapLimitsTest {
    private static final String BASE = "ou=annuaire,dc=mssante,dc=fr";
    private static EmbeddedDirectory postgres;
    private static DirectoryLdapServer server;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedDirectory.start();
        var db = postgres.newDatabase();
        Path dir = Files.createTempDirectory("directory-ldap-limits");
        Path file = Fixtures.mailboxFile(dir, "Extraction_Correspondance_MSSante.txt", List.of(
            Fixtures.mailbox("PER", "Helene.Dupont@medecin.mssante.fr", "810001234567", "DUPONT", "Hélène", "10",
                "Médecin", "SM54", "Médecine Générale", null, "42000", "SAINT-ÉTIENNE")));
        new DirectoryImporter(db, new SourceOpener(java.net.http.HttpClient.newHttpClient(), dir), Clock.systemUTC())
            .importSource(file.toString(), ImportOptions.defaults(), ImportListener.NONE);
        server = new DirectoryLdapServer(LdapServerConfig.development(0, BASE)
            .withLimits(new LdapLimits(64 * 1024, 32, 4)), new DirectoryLookup(db));
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        postgres.close();
    }

    private static Socket connect() throws Exception {
        return new Socket("127.0.0.1", server.port());
    }

    @Test
    void aFilterOfTenThousandNestedNotsGetsUnwillingToPerformAndTheConnectionIsClosed() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(LdapWire.search(7, BASE, LdapWire.nestedNots(10_000)));
            out.flush();

            List<LDAPMessage> answers = LdapWire.readUntilClosed(socket);

            assertThat(answers).hasSize(2);
            assertThat(answers.get(0).getMessageID()).isEqualTo(7);
            assertThat(answers.get(0).getSearchResultDoneProtocolOp().getResultCode())
                .isEqualTo(ResultCode.UNWILLING_TO_PERFORM_INT_VALUE);
            assertThat(answers.get(0).getSearchResultDoneProtocolOp().getDiagnosticMessage()).contains("nested deeper than 32");
            assertThat(answers.get(1).getExtendedResponseProtocolOp().getResponseOID())
                .isEqualTo(LdapMessageGuard.NOTICE_OF_DISCONNECTION);
            assertThat(answers.get(1).getExtendedResponseProtocolOp().getResultCode())
                .isEqualTo(ResultCode.PROTOCOL_ERROR_INT_VALUE);
        }
        assertStillServing();
    }

    @Test
    void aMessageLargerThanTheLimitIsRefusedAtOnceWithANoticeOfDisconnection() throws Exception {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            // announces 1 MiB (under UnboundID's own 20 MB default) and sends only the start of it
            out.write(new byte[] {0x30, (byte) 0x83, 0x10, 0x00, 0x00, 0x02, 0x01, 0x01});
            out.flush();

            List<LDAPMessage> answers = LdapWire.readUntilClosed(socket);

            assertThat(answers).singleElement().satisfies(notice -> {
                assertThat(notice.getExtendedResponseProtocolOp().getResponseOID())
                    .isEqualTo(LdapMessageGuard.NOTICE_OF_DISCONNECTION);
                assertThat(notice.getExtendedResponseProtocolOp().getDiagnosticMessage())
                    .contains("1048576 bytes exceeds the limit of 65536 bytes");
            });
        }
        assertStillServing();
    }

    @Test
    void aReasonablyNestedFilterIsStillAnswered() throws Exception {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", server.port())) {
            Filter filter = Filter.create("(sn=dupont)");
            for (int i = 0; i < 20; i++) {
                filter = Filter.createANDFilter(filter);
            }
            assertThat(c.search(BASE, SearchScope.SUB, filter).getEntryCount()).isEqualTo(1);
        }
    }

    @Test
    void connectionsBeyondThePerAddressLimitAreRefusedUntilOneCloses() throws Exception {
        List<LDAPConnection> open = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                // other tests' connections may still be closing: fill up to the limit
                try {
                    LDAPConnection c = new LDAPConnection("127.0.0.1", server.port());
                    c.getRootDSE();
                    open.add(c);
                    return false;
                } catch (com.unboundid.ldap.sdk.LDAPException e) {
                    return true;
                }
            });
            assertThat(open).hasSizeLessThanOrEqualTo(4);
            try (Socket refused = connect()) {
                List<LDAPMessage> answers = LdapWire.readUntilClosed(refused);
                assertThat(answers).singleElement().satisfies(notice -> {
                    assertThat(notice.getExtendedResponseProtocolOp().getResultCode())
                        .isEqualTo(ResultCode.UNAVAILABLE_INT_VALUE);
                    assertThat(notice.getExtendedResponseProtocolOp().getDiagnosticMessage())
                        .contains("more than 4 connections from your address");
                });
            }
            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
                try (LDAPConnection again = new LDAPConnection("127.0.0.1", server.port())) {
                    assertThat(again.getRootDSE()).isNotNull();
                }
            });
        } finally {
            open.forEach(LDAPConnection::close);
        }
    }

    @Test
    void filterDepthIsMeasuredWithoutRecursion() throws Exception {
        Filter filter = Filter.create("(cn=x)");
        for (int i = 0; i < 5_000; i++) {
            filter = Filter.createNOTFilter(filter);
        }
        assertThat(DirectoryRequestHandler.filterDepth(filter, 32)).isEqualTo(33);
        assertThat(DirectoryRequestHandler.filterDepth(Filter.create("(&(a=1)(|(b=2)(!(c=3))))"), 32)).isEqualTo(4);
    }

    private static void assertStillServing() throws Exception {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            try (LDAPConnection c = new LDAPConnection("127.0.0.1", server.port())) {
                assertThat(c.search(BASE, SearchScope.SUB, "(sn=dupont)").getEntryCount()).isEqualTo(1);
            }
        });
    }
}
