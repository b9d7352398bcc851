package fr.mssante.operator.healthspace.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.healthspace.HealthSpaceSettings;
import jakarta.mail.Store;
import jakarta.mail.Transport;

/**
 * What the health space really sends to the server (contract B): over TLS with its client certificate, SASL
 * {@code EXTERNAL} with the citizen's address as authorization identity — on IMAPS and on submission — and never a
 * password command. Checked against scripted IMAP and SMTP peers that record every line.
 */
class SaslExternalTest {
    private static final String CITIZEN = "180057512345621@patient.mss.test";
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path keys;
    private static X509Certificate clientCertificate;

    private ScriptedPeer peer;

    @BeforeAll
    static void certificates() throws Exception {
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
            "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
            "-keystore", keys.resolve("server.p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keys.resolve("server.p12").toString(),
            "-storepass", PASSWORD, "-file", keys.resolve("ca.pem").toString());
        keytool("-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1",
            "-dname", "CN=health-space, O=MSS development", "-validity", "2", "-storetype", "PKCS12",
            "-keystore", keys.resolve("health-space.p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        Files.writeString(keys.resolve("health-space.p12.password"), PASSWORD + "\n");
        clientCertificate = (X509Certificate) load(keys.resolve("health-space.p12")).getCertificate("client");
    }

    @AfterEach
    void stop() throws IOException {
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void imapsAuthenticatesWithExternalAndTheCitizenAsAuthorizationIdentity() throws Exception {
        peer = new ScriptedPeer(ScriptedPeer.Protocol.IMAP);
        MailboxGateway gateway = new MailboxGateway(settings(peer.port(), 1));
        try (Store store = gateway.session(CITIZEN).getStore("imaps")) {
            store.connect("127.0.0.1", peer.port(), CITIZEN, "");
            assertThat(store.isConnected()).isTrue();
        }
        String encoded = Base64.getEncoder().encodeToString(CITIZEN.getBytes(StandardCharsets.UTF_8));
        assertThat(peer.lines()).anyMatch(line -> line.matches("\\S+ AUTHENTICATE EXTERNAL " + encoded))
            .noneMatch(line -> line.matches("(?i)\\S+ (LOGIN|AUTHENTICATE (PLAIN|LOGIN|XOAUTH2)).*"));
        assertThat(peer.clientCertificate()).isEqualTo(clientCertificate);
    }

    @Test
    void submissionAuthenticatesWithExternalAndTheCitizenAsAuthorizationIdentity() throws Exception {
        peer = new ScriptedPeer(ScriptedPeer.Protocol.SMTP);
        MailboxGateway gateway = new MailboxGateway(settings(1, peer.port()));
        try (Transport transport = gateway.session(CITIZEN).getTransport("smtps")) {
            transport.connect("127.0.0.1", peer.port(), CITIZEN, "");
            assertThat(transport.isConnected()).isTrue();
        }
        String encoded = Base64.getEncoder().encodeToString(CITIZEN.getBytes(StandardCharsets.UTF_8));
        assertThat(peer.lines()).contains("AUTH EXTERNAL " + encoded)
            .noneMatch(line -> line.matches("(?i)AUTH (PLAIN|LOGIN|XOAUTH2|DIGEST-MD5|NTLM).*"));
        assertThat(peer.clientCertificate()).isEqualTo(clientCertificate);
    }

    private static HealthSpaceSettings settings(int imapsPort, int submissionsPort) {
        return new HealthSpaceSettings("http://127.0.0.1:1", keys.resolve("token"), "127.0.0.1", imapsPort,
            submissionsPort, keys.resolve("health-space.p12"), keys.resolve("health-space.p12.password"),
            keys.resolve("ca.pem"), "patient.mss.test", "code", "ins", Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    /** A one-connection TLS peer that requires a client certificate, answers a minimal script and records lines. */
    private static final class ScriptedPeer implements AutoCloseable {
        enum Protocol { IMAP, SMTP }

        private final SSLServerSocket server;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final AtomicReference<X509Certificate> certificate = new AtomicReference<>();
        private final Thread thread;

        ScriptedPeer(Protocol protocol) throws Exception {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(load(keys.resolve("server.p12")), PASSWORD.toCharArray());
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("client", clientCertificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
            server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress());
            server.setNeedClientAuth(true);
            thread = new Thread(() -> serve(protocol), "scripted-" + protocol);
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        List<String> lines() throws InterruptedException {
            thread.join(10_000);
            return lines;
        }

        X509Certificate clientCertificate() {
            return certificate.get();
        }

        private void serve(Protocol protocol) {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.startHandshake();
                Certificate[] peer = socket.getSession().getPeerCertificates();
                certificate.set((X509Certificate) peer[0]);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                if (protocol == Protocol.IMAP) {
                    imap(in, out);
                } else {
                    smtp(in, out);
                }
            } catch (IOException e) {
                lines.add("! " + e);
            }
        }

        private void imap(BufferedReader in, OutputStream out) throws IOException {
            send(out, "* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=EXTERNAL AUTH=PLAIN] ready");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                String[] words = line.split(" ", 3);
                String tag = words[0];
                String command = words.length > 1 ? words[1].toUpperCase(java.util.Locale.ROOT) : "";
                switch (command) {
                    case "CAPABILITY" -> send(out, "* CAPABILITY IMAP4rev1 SASL-IR AUTH=EXTERNAL AUTH=PLAIN\r\n" + tag + " OK done");
                    case "AUTHENTICATE" -> send(out, tag + " OK [CAPABILITY IMAP4rev1] authenticated");
                    case "LOGOUT" -> {
                        send(out, "* BYE\r\n" + tag + " OK bye");
                        return;
                    }
                    default -> send(out, tag + " OK done");
                }
            }
        }

        private void smtp(BufferedReader in, OutputStream out) throws IOException {
            send(out, "220 scripted ESMTP");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
                String command = line.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
                switch (command) {
                    case "EHLO" -> send(out, "250-scripted\r\n250-AUTH EXTERNAL PLAIN LOGIN\r\n250 8BITMIME");
                    case "AUTH" -> send(out, "235 2.7.0 authenticated");
                    case "QUIT" -> {
                        send(out, "221 bye");
                        return;
                    }
                    default -> send(out, "250 ok");
                }
            }
        }

        private static void send(OutputStream out, String text) throws IOException {
            out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
