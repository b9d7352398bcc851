package fr.mssante.operator.server.citizen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.mail.Folder;
import javax.mail.Store;
import javax.mail.internet.MimeMessage;
import javax.mail.search.SubjectTerm;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.trust.testpki.IssuedCertificate;
import fr.mssante.operator.trust.testpki.ListeBlancheWriter;
import fr.mssante.operator.trust.testpki.ListedPair;
import fr.mssante.operator.trust.testpki.TestPki;

/**
 * The national patient domain ({@code patient.mssante.fr}, Mon espace santé) is a listed operator peer: a professional
 * of ours writes to {@code <INS>@patient.mssante.fr}, the message is relayed through the trust space (mutual TLS, the
 * peer's certificate listed for the domain) to a peer standing for it; the citizen's reply comes back over our MX and
 * is delivered; a message a citizen starts over the MX is refused by the rule, with a DSN back to the citizen.
 */
class NationalPatientDomainTest {
    private static final String NATIONAL = "patient.mssante.fr";
    private static final String JEAN = "146026322000196@" + NATIONAL;
    private static final String LUCAS = "172032A01400591@" + NATIONAL;
    private static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    private static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;

    private static TestServer server;
    private static IssuedCertificate peerCertificate;
    private static PatientDomainPeer peer;

    @BeforeAll
    static void start() throws Exception {
        Path base = Files.createTempDirectory("mss-national-patient-");
        Path pkiDirectory = base.resolve("pki");
        TestPki pki = TestPki.generate();
        pki.writeTo(pkiDirectory);
        peerCertificate = pki.issue("CN=mx." + NATIONAL + ",OU=300000000099999,O=MON ESPACE SANTE,C=FR");
        Path list = pkiDirectory.resolve("liste-blanche.xml");
        Files.writeString(list, ListeBlancheWriter.write(List.of(new ListedPair(NATIONAL,
            peerCertificate.certificate().getSubjectX500Principal().getName(), "MES")), Instant.now(), true));
        peer = new PatientDomainPeer(peerCertificate);
        server = TestServer.start(base.resolve("operator"), Map.of(
            "mss.trust.roots", pkiDirectory.resolve("trust-roots.pem").toString(),
            "mss.trust.list", list.toString(),
            "mss.trust.crlFiles", pkiDirectory.resolve("crl.pem").toString(),
            "mss.outbound.routes", NATIONAL + "=127.0.0.1:" + peer.port(),
            "mss.outbound.delays", "PT1S",
            "mss.outbound.maxAttempts", "3"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void aProfessionalWritesToTheNationalPatientDomainAndTheCitizensReplyComesBackOverTheMx() throws Exception {
        MailClient client = new MailClient(server);
        String subject = "Votre rendez-vous " + UUID.randomUUID();
        MimeMessage start = client.newMessage(ALICE, JEAN, subject, "Bonjour, rendez-vous mardi.");
        client.submit(ALICE, start);
        String startId = start.getMessageID();
        String relayed = peer.awaitMessage(subject);
        assertThat(relayed).contains("Message-ID: " + startId);

        String replySubject = "Re: " + subject;
        String reply = overTheMx(JEAN, ALICE, "From: " + JEAN + "\r\nTo: " + ALICE + "\r\nSubject: " + replySubject
            + "\r\nMessage-ID: <reply-" + UUID.randomUUID() + "@" + NATIONAL + ">\r\nIn-Reply-To: " + startId
            + "\r\nReferences: " + startId + "\r\n\r\nMerci, j'y serai.");
        assertThat(reply).startsWith("250");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(count(client, ALICE, replySubject)).isEqualTo(1));
    }

    @Test
    void aMessageACitizenStartsOverTheMxIsRefusedWithTheRulesReason() throws Exception {
        MailClient client = new MailClient(server);
        String subject = "Question " + UUID.randomUUID();
        String messageId = "<start-" + UUID.randomUUID() + "@" + NATIONAL + ">";
        assertThat(overTheMx(LUCAS, BRUNO, "From: " + LUCAS + "\r\nTo: " + BRUNO + "\r\nSubject: " + subject
            + "\r\nMessage-ID: " + messageId + "\r\n\r\nBonjour docteur.")).startsWith("250");
        // the refusal travels back to the citizen's domain as a DSN naming the rule
        String dsn = peer.awaitMessage("[NO_CONVERSATION]");
        assertThat(dsn).contains("Status: 5.7.1", "un patient ne peut que repondre");
        assertThat(new MessageEventLog(server.runtime().database().dataSource()).latest(100))
            .anySatisfy(event -> {
                assertThat(event.event()).isEqualTo("CITIZEN_REFUSED");
                assertThat(event.detail()).hasValueSatisfying(detail -> assertThat(detail).contains("NO_CONVERSATION"));
            });
        assertThat(count(client, BRUNO, subject)).isZero();
    }

    private static String overTheMx(String from, String to, String data) throws Exception {
        SSLContext tls = server.tlsWithClientCertificate(peerCertificate.chainArray(), peerCertificate.privateKey());
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SMTP_MX))) {
            smtp.reply();
            smtp.command("EHLO mx." + NATIONAL);
            assertThat(smtp.startTls(tls)).startsWith("220");
            smtp.command("EHLO mx." + NATIONAL);
            assertThat(smtp.command("MAIL FROM:<" + from + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + to + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            return smtp.command(data + "\r\n.");
        }
    }

    private static int count(MailClient client, String user, String subject) throws Exception {
        try (Store store = client.imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                return inbox.search(new SubjectTerm(subject)).length;
            } finally {
                inbox.close(false);
            }
        }
    }

    /** A minimal MX for the national patient domain: STARTTLS with its listed certificate, accepts and keeps every message. */
    static final class PatientDomainPeer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final SSLContext tls;
        private final List<String> received = new CopyOnWriteArrayList<>();

        PatientDomainPeer(IssuedCertificate certificate) throws Exception {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("mx", certificate.privateKey(), "x".toCharArray(), certificate.chainArray());
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, "x".toCharArray());
            tls = SSLContext.getInstance("TLS");
            tls.init(factory.getKeyManagers(), null, null);
            Thread accept = new Thread(this::serve, "patient-domain-peer");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        String awaitMessage(String contained) {
            String[] found = new String[1];
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                found[0] = received.stream().filter(message -> message.contains(contained)).findFirst().orElse(null);
                return found[0] != null;
            });
            return found[0];
        }

        private void serve() {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    Thread session = new Thread(() -> session(socket), "patient-domain-peer-session");
                    session.setDaemon(true);
                    session.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void session(Socket plain) {
            Socket socket = plain;
            try {
                socket.setSoTimeout(60_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = socket.getOutputStream();
                write(out, "220 mx." + NATIONAL + " ESMTP");
                String line;
                while ((line = in.readLine()) != null) {
                    String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
                    switch (verb) {
                        case "EHLO" -> write(out, "250-mx." + NATIONAL + "\r\n250-8BITMIME\r\n250 STARTTLS");
                        case "STAR" -> {
                            write(out, "220 2.0.0 ready");
                            SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
                            secured.setUseClientMode(false);
                            secured.startHandshake();
                            socket = secured;
                            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                            out = socket.getOutputStream();
                        }
                        case "DATA" -> {
                            write(out, "354 go ahead");
                            StringBuilder message = new StringBuilder();
                            String data;
                            while ((data = in.readLine()) != null && !data.equals(".")) {
                                message.append(data.startsWith("..") ? data.substring(1) : data).append("\r\n");
                            }
                            received.add(message.toString());
                            write(out, "250 2.0.0 queued");
                        }
                        case "QUIT" -> {
                            write(out, "221 2.0.0 bye");
                            socket.close();
                            return;
                        }
                        default -> write(out, "250 2.0.0 ok");
                    }
                }
            } catch (Exception e) {
                // the session ends; what was received is kept
            } finally {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }

        private static void write(OutputStream out, String reply) throws IOException {
            out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
