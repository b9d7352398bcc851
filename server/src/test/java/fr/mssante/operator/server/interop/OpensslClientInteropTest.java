package fr.mssante.operator.server.interop;

import static fr.mssante.operator.server.interop.InteropServer.ALICE;
import static fr.mssante.operator.server.interop.InteropServer.BRUNO;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.testsupport.RequiredTools;

/**
 * {@code openssl s_client} against every TLS listener: what {@code docs/features/mail-server.md} and
 * {@code docs/configuration.md} promise — TLS 1.2 and 1.3 only, AEAD suites (AES-GCM, ChaCha20-Poly1305) with ECDHE
 * key exchange only, a certificate valid for the public host name — and a complete STARTTLS session on submission
 * (AUTH only after TLS, then a successful AUTH PLAIN) and on IMAP (LOGINDISABLED gone after TLS, then LOGIN).
 */
class OpensslClientInteropTest {
    private static TestServer server;
    private static Path openssl;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        openssl = RequiredTools.require("openssl");
        server = InteropServer.get();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ListeningPorts.SMTP_MX, ListeningPorts.SUBMISSION, ListeningPorts.SUBMISSIONS,
        ListeningPorts.IMAP, ListeningPorts.IMAPS})
    void onlyTls12And13WithEcdheAndAeadSuitesAreNegotiated(String listener) throws Exception {
        assertThat(handshake(listener, "-tls1_3")).contains("Protocol version: TLSv1.3").contains("Verification: OK");
        for (String suite : List.of("ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305")) {
            assertThat(handshake(listener, "-tls1_2", "-cipher", suite)).as(suite)
                .contains("Protocol version: TLSv1.2").contains("Ciphersuite: " + suite).contains("Verification: OK");
        }
        // TLS 1.2 with whatever openssl offers by default still ends on an ECDHE AEAD suite
        assertThat(handshake(listener, "-tls1_2")).containsPattern("Ciphersuite: ECDHE-RSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)");

        // older protocols: refused during the handshake (openssl 3 needs security level 0 to even offer them)
        for (String old : List.of("-tls1", "-tls1_1")) {
            assertThat(handshake(listener, old, "-cipher", "DEFAULT@SECLEVEL=0")).as(old)
                .contains("alert protocol version").doesNotContain("Protocol version: TLSv1.");
        }
        // TLS 1.2 suites outside the promise: CBC (with SHA-1 or SHA-256 MACs), static RSA key exchange, finite-field DHE
        for (String suite : List.of("ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384", "AES128-GCM-SHA256", "AES256-SHA",
            "DHE-RSA-AES128-GCM-SHA256")) {
            assertThat(handshake(listener, "-tls1_2", "-cipher", suite)).as(suite)
                .contains("handshake failure").doesNotContain("Ciphersuite:");
        }
    }

    @Test
    void submissionOverStartTlsAnnouncesAuthOnlyAfterTlsAndAcceptsAuthPlain() throws Exception {
        String plain = Base64.getEncoder().encodeToString(("\0" + ALICE + "\0" + server.password(ALICE)).getBytes(StandardCharsets.UTF_8));
        Command session = sClient(List.of("-starttls", "smtp", "-connect", "127.0.0.1:" + server.port(ListeningPorts.SUBMISSION)),
            "EHLO client.test\nAUTH PLAIN " + plain + "\nQUIT\n");

        String out = session.stdout();
        assertThat(session.stderr() + out).contains("Verification: OK").contains("Verified peername: localhost");
        // openssl printed the STARTTLS exchange itself; what follows is our session inside TLS
        assertThat(out).containsPattern("250[- ]AUTH PLAIN").contains("235 ").contains("221 ");
        assertThat(out).doesNotContain("535 ");
    }

    @Test
    void imapOverStartTlsDropsLoginDisabledAndAcceptsLogin() throws Exception {
        Command session = sClient(List.of("-starttls", "imap", "-connect", "127.0.0.1:" + server.port(ListeningPorts.IMAP)),
            "a CAPABILITY\nb LOGIN \"" + BRUNO + "\" \"" + server.password(BRUNO) + "\"\nd LOGOUT\n");

        String out = session.stdout();
        assertThat(session.stderr() + out).contains("Verification: OK").contains("Verified peername: localhost");
        String capability = out.lines().filter(line -> line.startsWith("* CAPABILITY")).findFirst().orElseThrow();
        assertThat(capability).contains("AUTH=PLAIN").doesNotContain("LOGINDISABLED").doesNotContain("STARTTLS");
        // (nothing is pipelined after LOGIN: RFC 3501 §5.5 forbids a client to, the result depends on LOGIN's)
        assertThat(out).contains("b OK LOGIN completed");
    }

    private String handshake(String listener, String... options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(options));
        arguments.add("-connect");
        arguments.add("127.0.0.1:" + server.port(listener));
        switch (listener) {
            case ListeningPorts.SMTP_MX, ListeningPorts.SUBMISSION -> arguments.addAll(List.of("-starttls", "smtp"));
            case ListeningPorts.IMAP -> arguments.addAll(List.of("-starttls", "imap"));
            default -> {
            }
        }
        Command result = sClient(arguments, listener.startsWith("imap") ? "z LOGOUT\n" : "QUIT\n");
        return result.stderr() + result.stdout();
    }

    private Command sClient(List<String> arguments, String input) throws Exception {
        List<String> command = new ArrayList<>(List.of(openssl.toString(), "s_client"));
        command.addAll(arguments);
        command.addAll(List.of("-CAfile", InteropServer.caFile(server).toString(), "-verify_hostname", "localhost",
            "-verify_return_error", "-crlf", "-ign_eof", "-quiet", "-brief")); // -crlf: the input below has bare LFs
        return Command.run(work, Map.of(), input, command);
    }
}
