package fr.mssante.operator.server.trustspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Store;
import javax.mail.search.SubjectTerm;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.delivery.OutboundStatistics;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.server.OutboundProbe;
import fr.mssante.operator.server.dsn.Mdn;
import fr.mssante.operator.server.dsn.StrictDsnChecker;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.smime.encrypt.CertificateRepository;
import fr.mssante.operator.smime.keystore.KeyStoreRepository;
import fr.mssante.operator.smime.keystore.MasterKey;
import fr.mssante.operator.smime.policy.EncryptMode;
import fr.mssante.operator.smime.policy.PolicyRepository;
import fr.mssante.operator.smime.policy.PolicyScope;
import fr.mssante.operator.smime.policy.PolicySettings;
import fr.mssante.operator.smime.policy.SignMode;
import fr.mssante.operator.trust.testpki.IssuedCertificate;
import fr.mssante.operator.trust.testpki.ListeBlancheWriter;
import fr.mssante.operator.trust.testpki.ListedPair;
import fr.mssante.operator.trust.testpki.TestPki;

/**
 * Two instances of our server as two operators of one trust space (issue 3, must-show 1): they exchange mail both
 * ways over mutual TLS, reuse TLS sessions, refuse unlisted domains and unlisted peers with a DSN to the sender, and
 * carry DSN requests end to end.
 */
class TwoOperatorsTest {
    private static final String DOMAIN_A = "operateur-a.test";
    private static final String DOMAIN_B = "operateur-b.test";
    private static final String DOMAIN_C = "operateur-c.test";
    private static final String ALICE_A = "alice.martin@" + DOMAIN_A;
    private static final String BRUNO_B = "bruno.durand@" + DOMAIN_B;

    private static TestServer operatorA;
    private static TestServer operatorB;
    private static TestPki pki;

    @BeforeAll
    static void start() throws Exception {
        Path base = Files.createTempDirectory("mss-two-");
        Path pkiDirectory = base.resolve("pki");
        pki = TestPki.generate();
        pki.writeTo(pkiDirectory);
        IssuedCertificate a = pki.issue("CN=mx." + DOMAIN_A + ",OU=300000000011111,O=OPERATEUR A,C=FR");
        IssuedCertificate b = pki.issue("CN=mx." + DOMAIN_B + ",OU=300000000022222,O=OPERATEUR B,C=FR");
        pki.writeIdentity(pkiDirectory, "a", a, "x".toCharArray());
        pki.writeIdentity(pkiDirectory, "b", b, "x".toCharArray());
        Path list = pkiDirectory.resolve("liste-blanche.xml");
        Files.writeString(list, ListeBlancheWriter.write(List.of(
            new ListedPair(DOMAIN_A, a.certificate().getSubjectX500Principal().getName(), "A"),
            new ListedPair(DOMAIN_B, b.certificate().getSubjectX500Principal().getName(), "B"),
            // C is listed with a DN nobody presents: mail for C is routed to B's MX, whose DN is not C's
            new ListedPair(DOMAIN_C, "CN=mx." + DOMAIN_C + ",OU=300000000033333,O=OPERATEUR C,C=FR", "C")),
            Instant.now(), true));
        int mxA = freePort();
        int mxB = freePort();
        operatorA = TestServer.start(base.resolve("a"), operator(pkiDirectory, list, "a", DOMAIN_A, mxA,
            DOMAIN_B + "=127.0.0.1:" + mxB + "," + DOMAIN_C + "=127.0.0.1:" + mxB));
        operatorB = TestServer.start(base.resolve("b"), operator(pkiDirectory, list, "b", DOMAIN_B, mxB,
            DOMAIN_A + "=127.0.0.1:" + mxA));
    }

    private static Map<String, String> operator(Path pki, Path list, String name, String domain, int mxPort, String routes) {
        return Map.of(
            "mss.demo.domain", domain,
            "mss.smtp.mx.port", String.valueOf(mxPort),
            "mss.tls.certificate", pki.resolve(name + ".chain.pem").toString(),
            "mss.tls.privateKey", pki.resolve(name + ".key.pem").toString(),
            "mss.trust.roots", pki.resolve("trust-roots.pem").toString(),
            "mss.trust.list", list.toString(),
            "mss.trust.crlFiles", pki.resolve("crl.pem").toString(),
            "mss.outbound.routes", routes,
            "mss.outbound.delays", "PT1S",
            "mss.outbound.maxAttempts", "3");
    }

    @AfterAll
    static void stop() {
        if (operatorA != null) {
            operatorA.close();
        }
        if (operatorB != null) {
            operatorB.close();
        }
    }

    @Test
    void mailGoesBothWaysOverMutualTlsReusingTheTlsSession() throws Exception {
        MailClient clientA = new MailClient(operatorA);
        MailClient clientB = new MailClient(operatorB);
        OutboundStatistics before = operatorA.runtime().server().getProbe(OutboundProbe.class).statistics();
        String run = "a-to-b-" + UUID.randomUUID();
        int messages = 20;
        for (int i = 0; i < messages; i++) {
            clientA.submit(ALICE_A, clientA.newMessage(ALICE_A, BRUNO_B, run + " #" + i, "Compte rendu " + i));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(subjects(clientB, BRUNO_B, run)).hasSize(messages));

        OutboundStatistics after = operatorA.runtime().server().getProbe(OutboundProbe.class).statistics();
        long handshakes = after.handshakes() - before.handshakes();
        long transactions = after.transactions() - before.transactions();
        System.out.printf("A -> B: %d messages, %d TLS handshakes, %.1f messages per handshake%n",
            transactions, handshakes, handshakes == 0 ? 0.0 : (double) transactions / handshakes);
        assertThat(transactions).isEqualTo(messages);
        assertThat(handshakes).isLessThan(messages / 2);

        String reply = "b-to-a-" + UUID.randomUUID();
        clientB.submit(BRUNO_B, clientB.newMessage(BRUNO_B, ALICE_A, reply, "Merci"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(subjects(clientA, ALICE_A, reply)).hasSize(1));
    }

    @Test
    void mailForADomainOutsideTheListeBlancheBouncesWithTheReason() throws Exception {
        MailClient clientA = new MailClient(operatorA);
        String subject = "unlisted-" + UUID.randomUUID();
        clientA.submit(ALICE_A, clientA.newMessage(ALICE_A, "dr.x@not-listed.test", subject, "x"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(bodies(clientA, ALICE_A)).anySatisfy(body -> assertThat(body)
                .contains("not-listed.test").contains("liste blanche")));
    }

    @Test
    void aPeerWhoseCertificateIsNotListedForTheDomainGetsNothingAndTheSenderADsn() throws Exception {
        MailClient clientA = new MailClient(operatorA);
        String subject = "wrong-peer-" + UUID.randomUUID();
        clientA.submit(ALICE_A, clientA.newMessage(ALICE_A, "dr.c@" + DOMAIN_C, subject, "x"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(bodies(clientA, ALICE_A)).anySatisfy(body -> assertThat(body)
                .contains("dr.c@" + DOMAIN_C).contains("not listed for domain " + DOMAIN_C)));
    }

    @Test
    void encryptionWhenPossibleSplitsAMixedAudience() throws Exception {
        String sender = "laboratoire.resultats@" + DOMAIN_A;
        String withCertificate = "alice.martin@" + DOMAIN_B;
        MailClient clientA = new MailClient(operatorA);
        new PolicyRepository(operatorA.runtime().database().dataSource()).save(PolicyScope.MAILBOX, sender,
            new PolicySettings(SignMode.INHERIT, EncryptMode.WHEN_POSSIBLE));
        giveOperatorBAnEncryptionKey(withCertificate);

        String subject = "mixed-" + UUID.randomUUID();
        javax.mail.internet.MimeMessage message = clientA.newMessage(sender, withCertificate, subject, "Resultat CR-BIO");
        message.addRecipient(javax.mail.Message.RecipientType.CC, new javax.mail.internet.InternetAddress(BRUNO_B));
        clientA.submit(sender, message);

        MailClient clientB = new MailClient(operatorB);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(bodies(clientB, withCertificate))
            .anySatisfy(body -> assertThat(body).contains(subject).contains("X-MSS-SMIME-Decryption: decrypted")));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(bodies(clientB, BRUNO_B))
            .anySatisfy(body -> assertThat(body).contains(subject).contains("Resultat CR-BIO")
                .doesNotContain("X-MSS-SMIME-Decryption")));
    }

    @Test
    void delayAndFailureDsnsFollowTheSendersNotifyRequest() throws Exception {
        MailClient clientA = new MailClient(operatorA);
        String sender = "bruno.durand@" + DOMAIN_A;
        String subject = "notify-delay-" + UUID.randomUUID();
        clientA.submitWithDsn(sender, "dr.c@" + DOMAIN_C, "NOTIFY=DELAY,FAILURE",
            "From: " + sender + "\r\nTo: dr.c@" + DOMAIN_C + "\r\nSubject: " + subject + "\r\n\r\nx");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            List<String> dsns = bodies(clientA, sender);
            assertThat(dsns).anySatisfy(body -> assertThat(body).containsIgnoringCase("Action: delayed").contains("dr.c@" + DOMAIN_C));
            assertThat(dsns).anySatisfy(body -> assertThat(body).containsIgnoringCase("Action: failed").contains("dr.c@" + DOMAIN_C));
        });

        String neverSubject = "notify-never-" + UUID.randomUUID();
        String neverSender = "laboratoire.resultats@" + DOMAIN_A;
        clientA.submitWithDsn(neverSender, "dr.x@never-listed.test", "NOTIFY=NEVER",
            "From: " + neverSender + "\r\nTo: dr.x@never-listed.test\r\nSubject: " + neverSubject + "\r\n\r\nx");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
            new MessageEventLog(operatorA.runtime().database().dataSource()).latest(200))
            .anySatisfy(event -> assertThat(event.event()).isEqualTo("BOUNCED")));
        // absence: it must stay absent for a while after the bounce was processed
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() ->
            assertThat(bodies(clientA, neverSender)).noneSatisfy(body -> assertThat(body).contains("never-listed.test")));
    }

    @Test
    void aRefusalByThePeerComesBackAsAStrictDsnWithItsSmtpReplyAndRemoteMta() throws Exception {
        MailClient clientA = new MailClient(operatorA);
        String subject = "peer-refusal-" + UUID.randomUUID();
        String nobody = "personne.inconnue@" + DOMAIN_B;
        clientA.submitWithDsn(ALICE_A, nobody, "NOTIFY=FAILURE ORCPT=rfc822;" + nobody,
            "From: " + ALICE_A + "\r\nTo: " + nobody + "\r\nSubject: " + subject + "\r\n\r\nx");
        byte[] dsn = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> raw(clientA, ALICE_A).stream()
            .filter(message -> new String(message, java.nio.charset.StandardCharsets.ISO_8859_1).contains(subject))
            .filter(StrictDsnChecker::isDeliveryReport).toList(), found -> !found.isEmpty()).get(0);

        com.fasterxml.jackson.databind.JsonNode recipient = StrictDsnChecker.check(dsn).path("recipients").get(0);
        assertThat(recipient.path("final-recipient").asText()).isEqualTo("rfc822; " + nobody);
        assertThat(recipient.path("original-recipient").asText()).isEqualTo("rfc822; " + nobody);
        assertThat(recipient.path("action").asText()).isEqualTo("failed");
        assertThat(recipient.path("status").asText()).isEqualTo("5.1.1");
        assertThat(recipient.path("diagnostic-code").asText()).startsWith("smtp; 550 5.1.1");
        assertThat(recipient.path("remote-mta").asText()).startsWith("dns; ");
    }

    @Test
    void aSuccessDsnRequestedByTheSenderComesBackFromTheOtherOperator() throws Exception {
        MailClient clientA = new MailClient(operatorA);
        String subject = "dsn-" + UUID.randomUUID();
        clientA.submitWithDsn(ALICE_A, BRUNO_B, "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;" + BRUNO_B,
            "From: " + ALICE_A + "\r\nTo: " + BRUNO_B + "\r\nSubject: " + subject + "\r\n\r\nAvec accuse de reception");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(subjects(new MailClient(operatorB), BRUNO_B, subject)).hasSize(1));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(bodies(clientA, ALICE_A)).anySatisfy(body -> assertThat(body)
                .containsIgnoringCase("Action: delivered").contains(BRUNO_B)));
    }

    /**
     * RFC 8098 across the trust space: Alice (operator A) asks Bruno (operator B) for a read receipt; the request
     * reaches B intact, and the MDN Bruno's client sends back is relayed by B and delivered by A byte for byte (no
     * X-MSS rewriting inside the report, no S/MIME or antivirus rework, every header the client wrote).
     */
    @Test
    void aReadReceiptRequestAndItsMdnCrossTheTrustSpaceUntouched() throws Exception {
        MailClient clientA = new MailClient(operatorA);
        MailClient clientB = new MailClient(operatorB);
        String token = "mdn-" + UUID.randomUUID();
        String request = Mdn.requestingReadReceipt(ALICE_A, BRUNO_B, token);
        clientA.submitWithDsn(ALICE_A, BRUNO_B, "", Mdn.data(request));
        byte[] atB = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> raw(clientB, BRUNO_B).stream()
            .filter(message -> new String(message, java.nio.charset.StandardCharsets.UTF_8).contains("Compte rendu " + token))
            .toList(), found -> !found.isEmpty()).get(0);
        Mdn.assertDeliveredUntouched(request, atB);

        String mdn = Mdn.answering(BRUNO_B, ALICE_A, token);
        clientB.submitWithDsn(BRUNO_B, ALICE_A, "", Mdn.data(mdn));
        byte[] atA = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> raw(clientA, ALICE_A).stream()
            .filter(message -> new String(message, java.nio.charset.StandardCharsets.UTF_8).contains("Accuse de lecture " + token))
            .toList(), found -> !found.isEmpty()).get(0);
        Mdn.assertDeliveredUntouched(mdn, atA);
    }

    @Test
    void encryptionRequiredByPolicyBouncesWithoutCertificateAndOtherwiseArrivesDecryptedAtTheOtherOperator() throws Exception {
        String secretary = "secretariat.cabinet-sante@" + DOMAIN_A;
        String laboratory = "laboratoire.resultats@" + DOMAIN_B;
        MailClient clientA = new MailClient(operatorA);
        new PolicyRepository(operatorA.runtime().database().dataSource()).save(PolicyScope.MAILBOX, secretary,
            new PolicySettings(SignMode.INHERIT, EncryptMode.REQUIRED));

        String refused = "must-encrypt-" + UUID.randomUUID();
        clientA.submit(secretary, clientA.newMessage(secretary, laboratory, refused, "Donnees de sante"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(bodies(clientA, secretary)).anySatisfy(body -> assertThat(body).contains(refused).contains(laboratory)));

        giveOperatorBAnEncryptionKey(laboratory);

        String sealed = "encrypted-" + UUID.randomUUID();
        clientA.submit(secretary, clientA.newMessage(secretary, laboratory, sealed, "Kaliemie 4,2 mmol/L"));
        MailClient clientB = new MailClient(operatorB);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(bodies(clientB, laboratory))
            .anySatisfy(body -> assertThat(body).contains(sealed).contains("X-MSS-SMIME-Decryption: decrypted")
                .contains("Kaliemie 4,2 mmol/L")));
        assertThat(new MessageEventLog(operatorA.runtime().database().dataSource()).latest(100))
            .anySatisfy(event -> assertThat(event.event()).isEqualTo("REMOTE_DELIVERED"));
    }

    /**
     * Issue 12 #1 over the MX: mail encrypted at operator A for one mailbox of B, sent to that mailbox and another one
     * of B whose key B also holds, is decrypted at B for the first only; the other gets the enveloped message as sent.
     */
    @Test
    void mailFromAnotherOperatorEncryptedForOneOfTwoRecipientsIsDecryptedForThatOneOnly() throws Exception {
        String reader = "claire.secretaire@" + DOMAIN_B;
        String colleague = "secretariat.cabinet-sante@" + DOMAIN_B;
        String masterKey = Files.readString(operatorB.workingDirectory().resolve("var/dev/smime-master.key")).trim();
        KeyStoreRepository keysAtB = new KeyStoreRepository(operatorB.runtime().database().dataSource(), MasterKey.fromBase64(masterKey));
        IssuedCertificate readerKey = emailCertificate(reader);
        IssuedCertificate colleagueKey = emailCertificate(colleague);
        keysAtB.store(reader, readerKey.certificate(), readerKey.chain(), readerKey.privateKey());
        keysAtB.store(colleague, colleagueKey.certificate(), colleagueKey.chain(), colleagueKey.privateKey());

        String subject = "mx-for-one-" + UUID.randomUUID();
        String secret = "Resultat confidentiel " + UUID.randomUUID();
        MailClient clientA = new MailClient(operatorA);
        javax.mail.internet.MimeMessage clear = clientA.newMessage(ALICE_A, reader, subject, secret);
        clear.setRecipients(Message.RecipientType.TO, reader + ", " + colleague);
        clear.saveChanges();
        javax.mail.internet.MimeMessage encrypted = new fr.mssante.operator.smime.encrypt.MessageEncryptor()
            .encrypt(clear, List.of(readerKey.certificate()), fr.mssante.operator.smime.encrypt.EncryptOptions.DEFAULT).orElseThrow();
        encrypted.saveChanges();
        byte[] envelope = encrypted.getInputStream().readAllBytes();
        clientA.submit(ALICE_A, encrypted);

        MailClient clientB = new MailClient(operatorB);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(bodies(clientB, reader))
            .anySatisfy(body -> assertThat(body).contains(subject).contains("X-MSS-SMIME-Decryption: decrypted").contains(secret)));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            try (Store store = clientB.imap(colleague)) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] found = inbox.search(new SubjectTerm(subject));
                assertThat(found).hasSize(1);
                assertThat(found[0].getContentType()).startsWithIgnoringCase("application/pkcs7-mime");
                assertThat(found[0].getHeader("X-MSS-SMIME-Decryption")).containsExactly("no-key");
                assertThat(found[0].getInputStream().readAllBytes()).isEqualTo(envelope);
                inbox.close(false);
            }
        });
        assertThat(bodies(clientB, colleague)).noneSatisfy(body -> assertThat(body).contains(secret));
    }

    /** A key pair for a mailbox of operator B: the key in B's key store, the certificate known to operator A. */
    private static void giveOperatorBAnEncryptionKey(String address) throws Exception {
        IssuedCertificate key = emailCertificate(address);
        new CertificateRepository(operatorA.runtime().database().dataSource())
            .store(address, key.certificate(), CertificateRepository.Source.CONFIGURATION);
        String masterKey = Files.readString(operatorB.workingDirectory().resolve("var/dev/smime-master.key")).trim();
        new KeyStoreRepository(operatorB.runtime().database().dataSource(), MasterKey.fromBase64(masterKey))
            .store(address, key.certificate(), key.chain(), key.privateKey());
    }

    /** An S/MIME certificate (emailProtection, SAN rfc822Name) issued by the test CA. */
    private static IssuedCertificate emailCertificate(String address) throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        java.security.cert.X509Certificate certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
            .getCertificate(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(pki.ca(),
                java.math.BigInteger.valueOf(now.toEpochMilli()), java.util.Date.from(now.minus(Duration.ofHours(1))),
                java.util.Date.from(now.plus(Duration.ofDays(30))),
                new org.bouncycastle.asn1.x500.X500Name("CN=" + address + ",O=OPERATEUR B,C=FR"), keys.getPublic())
                .addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true, new org.bouncycastle.asn1.x509.KeyUsage(
                    org.bouncycastle.asn1.x509.KeyUsage.digitalSignature | org.bouncycastle.asn1.x509.KeyUsage.keyEncipherment))
                .addExtension(org.bouncycastle.asn1.x509.Extension.extendedKeyUsage, false,
                    new org.bouncycastle.asn1.x509.ExtendedKeyUsage(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_emailProtection))
                .addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                    new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
                        org.bouncycastle.asn1.x509.GeneralName.rfc822Name, address)))
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(pki.caKey())));
        return new IssuedCertificate(certificate, keys.getPrivate(), List.of(certificate, pki.ca()));
    }

    private static List<String> subjects(MailClient client, String user, String prefix) throws Exception {
        try (Store store = client.imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<String> found = new ArrayList<>();
            for (Message message : inbox.search(new SubjectTerm(prefix))) {
                found.add(message.getSubject());
            }
            inbox.close(false);
            return found;
        }
    }

    private static List<byte[]> raw(MailClient client, String user) throws Exception {
        try (Store store = client.imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<byte[]> found = new ArrayList<>();
            for (Message message : inbox.getMessages()) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                message.writeTo(out);
                found.add(out.toByteArray());
            }
            inbox.close(false);
            return found;
        }
    }

    private static List<String> bodies(MailClient client, String user) throws Exception {
        try (Store store = client.imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<String> found = new ArrayList<>();
            for (Message message : inbox.getMessages()) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                message.writeTo(out);
                found.add(out.toString(java.nio.charset.StandardCharsets.UTF_8));
            }
            inbox.close(false);
            return found;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
