package fr.mssante.operator.server.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import fr.mssante.operator.server.testing.TestServer;

/**
 * One server for the real-client interop tests of this package (curl, mutt, fetchmail, imaplib, openssl, the
 * autoconfiguration file), started once per test JVM. Each client class works with its own demo mailbox, so that
 * one client's deletions or flags never meet another's assertions: curl → Bruno, mutt → Claire, fetchmail → the
 * practice mailbox, imaplib → the laboratory mailbox; Alice sends.
 */
final class InteropServer {
    static final String ALICE = "alice.martin@demo.mss.test";
    static final String BRUNO = "bruno.durand@demo.mss.test";
    static final String CLAIRE = "claire.secretaire@demo.mss.test";
    static final String PRACTICE = "secretariat.cabinet-sante@demo.mss.test";
    static final String LABORATORY = "laboratoire.resultats@demo.mss.test";

    private static TestServer server;

    private InteropServer() {
    }

    static synchronized TestServer get() throws Exception {
        if (server == null) {
            server = TestServer.start(Files.createTempDirectory("mss-interop-"), Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    static Path caFile(TestServer server) {
        return server.workingDirectory().resolve("var/dev/pki/ca.pem").toAbsolutePath();
    }
}
