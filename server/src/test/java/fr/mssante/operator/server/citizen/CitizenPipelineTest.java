package fr.mssante.operator.server.citizen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import javax.net.ssl.SSLContext;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.citizen.CitizenMails;
import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.ImapDialogue;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Must show 1 and 3 of issue 15 on a running server: every citizen rule in the pipeline (professional start, a
 * citizen's new message refused, a reply allowed, a reply after FIN refused in the header and subject forms, the
 * pharmacy exception inside and outside its window, 25 Mo, an invalid INS key, a closed space), with the DSN and its
 * reason; and the full text of every mail sent to a citizen's personal address (notifications, login codes) free of
 * health data.
 */
class CitizenPipelineTest {
    static final String DOMAIN = DemoData.DOMAIN;
    static final String ALICE = "alice.martin@" + DOMAIN;
    static final String BRUNO = "bruno.durand@" + DOMAIN;
    static final String PHARMACY = "pharmacie.centrale@" + DOMAIN;
    static final String PERSONAL = DemoData.CITIZENS_PERSONAL_MAILBOX + "@" + DOMAIN;
    static final String CAMILLE = "285057511223391@patient.mss.test";
    static final String JEAN = "146026322000196@patient.mss.test";
    static final String LUCAS = "172032a01400591@patient.mss.test";
    static final String INES = "291091305501271@patient.mss.test";
    static final Duration PHARMACY_WINDOW = Duration.ofSeconds(40);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String PHARMACY_PASSWORD = "Pharmacie-Centrale-2026!";

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Files.createTempDirectory("mss-citizen-"), Map.of(
            "mss.citizen.pharmacyMailboxes", PHARMACY,
            "mss.citizen.pharmacyWindow", PHARMACY_WINDOW.toString()));
        // a pharmacy's ORG mailbox in the register, with a password
        assertThat(webAdmin("PUT", "/mss/mailboxes/" + PHARMACY + "?kind=ORG&holder=2750000099", null).statusCode()).isIn(200, 201, 204);
        assertThat(webAdmin("PUT", "/users/" + PHARMACY, "{\"password\":\"" + PHARMACY_PASSWORD + "\"}").statusCode()).isEqualTo(204);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> webAdmin(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + path))
            .header("Authorization", "Bearer " + server.webAdminToken())
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    static String password(String user) throws Exception {
        return user.equals(PHARMACY) ? PHARMACY_PASSWORD : server.password(user);
    }

    // ---------------------------------------------------------------- sending

    /** A raw RFC 5322 message (CRLF), ASCII; the subject is RFC 2047-encoded. */
    static String message(String from, String to, String messageId, String subject, String extraHeaders, String body) throws Exception {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + MimeUtility.encodeText(subject, "UTF-8", "Q")
            + "\r\nMessage-ID: <" + messageId + ">\r\nDate: Mon, 07 Dec 2026 09:00:00 +0100\r\nMIME-Version: 1.0\r\n"
            + extraHeaders + "Content-Type: text/plain; charset=us-ascii\r\n\r\n" + body + "\r\n";
    }

    /** The replies to MAIL, RCPT and the end of DATA (or of RCPT when it is refused). */
    static List<String> send(SmtpDialogue smtp, String from, String to, String rcptParameters, byte[] data) throws Exception {
        List<String> replies = new ArrayList<>();
        replies.add(smtp.command("MAIL FROM:<" + from + ">"));
        String rcpt = smtp.command("RCPT TO:<" + to + ">" + rcptParameters);
        replies.add(rcpt);
        if (!rcpt.startsWith("250")) {
            return replies;
        }
        assertThat(smtp.command("DATA")).startsWith("354");
        smtp.raw(data);
        replies.add(smtp.command("\r\n."));
        smtp.command("QUIT");
        return replies;
    }

    static List<String> sendAsProfessional(String from, String to, String data) throws Exception {
        return sendAsProfessional(from, to, data.getBytes(StandardCharsets.US_ASCII));
    }

    static List<String> sendAsProfessional(String from, String to, byte[] data) throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SUBMISSION))) {
            smtp.reply();
            smtp.command("EHLO pro.test");
            smtp.startTls(server.clientTls());
            smtp.command("EHLO pro.test");
            assertThat(smtp.authPlain(from, password(from))).startsWith("235");
            return send(smtp, from, to, "", data);
        }
    }

    /** As the health space does: submission with its certificate, SASL EXTERNAL for the citizen. */
    static List<String> sendAsCitizen(String citizen, String to, String data) throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connectTls(server.port(ListeningPorts.SUBMISSIONS), healthSpaceTls())) {
            smtp.reply();
            smtp.command("EHLO health-space.test");
            assertThat(smtp.command("AUTH EXTERNAL " + Base64.getEncoder().encodeToString(citizen.getBytes(StandardCharsets.US_ASCII))))
                .startsWith("235");
            return send(smtp, citizen, to, "", data.getBytes(StandardCharsets.US_ASCII));
        }
    }

    static SSLContext healthSpaceTls() throws Exception {
        Path pki = server.workingDirectory().resolve("var/dev/pki");
        return server.tlsWithClientCertificate(pki.resolve("health-space-chain.pem"), pki.resolve("health-space-key.pem"));
    }

    // ---------------------------------------------------------------- reading

    /** Every message of a mailbox, raw (the health space's certificate for a citizen, the password otherwise). */
    static List<String> mailbox(String address) throws Exception {
        boolean citizen = address.endsWith("@patient.mss.test");
        try (ImapDialogue imap = ImapDialogue.connectTls(server.port(ListeningPorts.IMAPS), citizen ? healthSpaceTls() : server.clientTls())) {
            String login = citizen
                ? imap.status("AUTHENTICATE EXTERNAL " + Base64.getEncoder().encodeToString(address.getBytes(StandardCharsets.US_ASCII)))
                : imap.status("LOGIN " + address + " \"" + password(address) + "\"");
            assertThat(login).contains(" OK");
            imap.status("SELECT INBOX");
            String fetched = imap.command("FETCH 1:* BODY.PEEK[]");
            List<String> messages = new ArrayList<>();
            for (String part : fetched.split("\n\\* \\d+ FETCH ")) {
                if (part.contains("BODY[]")) {
                    messages.add(part);
                }
            }
            if (fetched.startsWith("* 1 FETCH") && !messages.isEmpty()) {
                return messages;
            }
            return messages;
        }
    }

    static String awaitMessage(String mailbox, String... contained) {
        String[] found = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (String message : mailbox(mailbox)) {
                boolean all = true;
                for (String text : contained) {
                    all &= message.contains(text);
                }
                if (all) {
                    found[0] = message;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    static boolean has(String mailbox, String text) throws Exception {
        return mailbox(mailbox).stream().anyMatch(message -> message.contains(text));
    }

    static String id(String name) {
        return name + "." + System.nanoTime() + "@" + DOMAIN;
    }

    // ---------------------------------------------------------------- the rules

    @Test
    void aProfessionalStartsAConversationAndTheCitizenReplies() throws Exception {
        String start = id("start");
        assertThat(sendAsProfessional(ALICE, JEAN, message(ALICE, JEAN, start, "Votre rendez-vous", "", "Bonjour, rendez-vous mardi.")))
            .allMatch(reply -> reply.startsWith("250"));
        awaitMessage(JEAN, start);

        String reply = id("reply");
        assertThat(sendAsCitizen(JEAN, ALICE, message(JEAN, ALICE, reply, "Re: Votre rendez-vous",
            "In-Reply-To: <" + start + ">\r\nReferences: <" + start + ">\r\n", "Merci, j'y serai."))).allMatch(r -> r.startsWith("250"));
        awaitMessage(ALICE, reply);

        // the professional answers naming only the citizen's reply, and ends the exchange: the whole conversation is over
        String end = id("end");
        sendAsProfessional(ALICE, JEAN, message(ALICE, JEAN, end, "Re: Votre rendez-vous", "In-Reply-To: <" + reply + ">\r\n"
            + "X-MSS-MES: FIN\r\n", "A mardi."));
        awaitMessage(JEAN, end);
        String late = id("late");
        sendAsCitizen(JEAN, ALICE, message(JEAN, ALICE, late, "Re: Votre rendez-vous", "In-Reply-To: <" + start + ">\r\n", "Et apres ?"));
        awaitMessage(JEAN, "[CONVERSATION_ENDED]", late);
    }

    @Test
    void aCitizenCannotStartAConversation() throws Exception {
        String attempt = id("citizen-start");
        // accepted by SMTP (the rule needs the headers), then refused in the pipeline with a DSN to the citizen
        assertThat(sendAsCitizen(LUCAS, BRUNO, message(LUCAS, BRUNO, attempt, "Question", "", "Bonjour docteur")))
            .allMatch(r -> r.startsWith("250"));
        String dsn = awaitMessage(LUCAS, "[NO_CONVERSATION]", attempt);
        assertThat(dsn).contains("multipart/report", "Status: 5.7.1",
            "message non distribue : un patient ne peut que repondre a un message qu'un professionnel de sante lui a envoye");
        assertThat(has(BRUNO, attempt)).isFalse();
        // a reply naming a message that was never sent to this citizen is no better
        String forged = id("forged");
        sendAsCitizen(LUCAS, BRUNO, message(LUCAS, BRUNO, forged, "Re: x", "In-Reply-To: <never-sent@" + DOMAIN + ">\r\n", "x"));
        awaitMessage(LUCAS, "[NO_CONVERSATION]", forged);
    }

    @Test
    void aReplyAfterFinInTheHeaderIsRefused() throws Exception {
        String start = id("fin-header-start");
        sendAsProfessional(BRUNO, JEAN, message(BRUNO, JEAN, start, "Suivi", "", "Comment allez-vous ?"));
        String fin = id("fin-header");
        sendAsProfessional(BRUNO, JEAN, message(BRUNO, JEAN, fin, "Re: Suivi", "In-Reply-To: <" + start + ">\r\nX-MSS-MES: FIN\r\n",
            "Fin de notre echange."));
        awaitMessage(JEAN, fin, "X-MSS-MES: FIN");
        String late = id("after-fin-header");
        sendAsCitizen(JEAN, BRUNO, message(JEAN, BRUNO, late, "Re: Suivi", "In-Reply-To: <" + start + ">\r\n", "Encore une question"));
        assertThat(awaitMessage(JEAN, "[CONVERSATION_ENDED]", late))
            .contains("message non distribue : le professionnel de sante a clos cette conversation");
        assertThat(has(BRUNO, late)).isFalse();
    }

    @Test
    void aReplyAfterFinInTheSubjectIsRefused() throws Exception {
        String fin = id("fin-subject");
        sendAsProfessional(ALICE, CAMILLE, message(ALICE, CAMILLE, fin, "[FIN] Resultats normaux", "", "Tout va bien."));
        awaitMessage(CAMILLE, fin);
        String late = id("after-fin-subject");
        sendAsCitizen(CAMILLE, ALICE, message(CAMILLE, ALICE, late, "Re: [FIN] Resultats normaux",
            "In-Reply-To: <" + fin + ">\r\nReferences: <" + fin + ">\r\n", "Merci"));
        awaitMessage(CAMILLE, "[CONVERSATION_ENDED]", late);
        assertThat(has(ALICE, late)).isFalse();
    }

    @Test
    void aCitizenMayWriteToAPharmacyWithinItsWindowOnly() throws Exception {
        String fromPharmacy = id("pharmacy");
        long sentAt = System.nanoTime();
        sendAsProfessional(PHARMACY, LUCAS, message(PHARMACY, LUCAS, fromPharmacy, "[FIN] Votre commande est prete", "", "A bientot."));
        awaitMessage(LUCAS, fromPharmacy);
        // inside the window: a new message (no conversation) reaches the pharmacy
        String prescription = id("prescription");
        sendAsCitizen(LUCAS, PHARMACY, message(LUCAS, PHARMACY, prescription, "Ordonnance", "", "Voici mon ordonnance."));
        awaitMessage(PHARMACY, prescription);
        assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).as("the test ran inside the window").isLessThan(PHARMACY_WINDOW);
        // the health space's reply button says so too
        assertThat(replyPermission("172032A01400591", fromPharmacy)).contains("\"allowed\":true", "\"reasonCode\":\"PHARMACY_WINDOW\"");

        // outside the window: refused
        Awaitility.await().atMost(PHARMACY_WINDOW.plusSeconds(30)).pollInterval(Duration.ofSeconds(1))
            .until(() -> replyPermission("172032A01400591", fromPharmacy).contains("CONVERSATION_ENDED"));
        String late = id("late-prescription");
        sendAsCitizen(LUCAS, PHARMACY, message(LUCAS, PHARMACY, late, "Ordonnance", "", "Une autre ordonnance."));
        awaitMessage(LUCAS, "[NO_CONVERSATION]", late);
        assertThat(has(PHARMACY, late)).isFalse();
    }

    static String replyPermission(String ins, String messageId) throws Exception {
        return webAdmin("GET", "/mss/citizens/" + ins + "/reply-permission?inReplyTo=%3C" + messageId + "%3E", null).body();
    }

    @Test
    void aMessageOver25MoToACitizenBounces() throws Exception {
        String big = id("big");
        StringBuilder body = new StringBuilder(26 * 1024 * 1024 + 1024);
        String line = "a".repeat(76) + "\r\n";
        while (body.length() < 25 * 1024 * 1024 + 100_000) {
            body.append(line);
        }
        List<String> replies = sendAsProfessional(ALICE, CAMILLE, message(ALICE, CAMILLE, big, "Imagerie", "", body.toString()));
        assertThat(replies).allMatch(reply -> reply.startsWith("250"));
        String dsn = awaitMessage(ALICE, "[TOO_LARGE]", big);
        assertThat(dsn).contains("Status: 5.3.4", "un message echange avec un patient ne peut depasser 25 Mo");
        assertThat(has(CAMILLE, big)).isFalse();
    }

    @Test
    void anInvalidInsIsRefusedAtRcptBeforeRelaying() throws Exception {
        for (String address : new String[] {"146026322000197@patient.mss.test", "146026322000197@patient.mssante.fr",
            "14602632200019@patient.mss.test", "jean.lefevre@patient.mssante.fr"}) {
            List<String> replies = sendAsProfessional(ALICE, address, message(ALICE, address, id("bad-ins"), "x", "", "x"));
            assertThat(replies.get(1)).as(address).startsWith("550 5.1.3 [INVALID_INS] message non distribue");
        }
        assertThat(sendAsProfessional(ALICE, "146026322000197@patient.mss.test", message(ALICE, "x@y", id("k"), "x", "", "x")).get(1))
            .contains("la cle de l'INS est fausse (attendue : 96)");
        // an unknown (valid) INS in a patient domain we serve
        assertThat(sendAsProfessional(ALICE, "185057511223344@patient.mss.test", message(ALICE, "x@y", id("u"), "x", "", "x")).get(1))
            .startsWith("550 5.1.1 [UNKNOWN_CITIZEN]");
    }

    @Test
    void aClosedSpaceRefusesMessages() throws Exception {
        assertThat(webAdmin("POST", "/mss/citizens/291091305501271/close", null).statusCode()).isEqualTo(204);
        assertThat(webAdmin("GET", "/mss/citizens/291091305501271", null).body()).contains("\"state\":\"CLOSED\"");
        List<String> replies = sendAsProfessional(ALICE, INES, message(ALICE, INES, id("closed"), "x", "", "x"));
        assertThat(replies.get(1)).startsWith("550 5.2.1 [SPACE_CLOSED] message non distribue : le patient a ferme sa messagerie de sante");
        assertThat(replyPermission("291091305501271", "any@x")).contains("\"allowed\":false", "\"reasonCode\":\"SPACE_CLOSED\"");
    }

    // ---------------------------------------------------------------- must show 3

    @Test
    void mailsToAPersonalAddressCarryNoHealthData() throws Exception {
        String secret = id("irm");
        String subject = "Résultats IRM cérébrale — tumeur bénigne";
        String boundary = "b-" + System.nanoTime();
        String pdf = Base64.getMimeEncoder().encodeToString("%PDF-1.4 compte rendu confidentiel".getBytes(StandardCharsets.US_ASCII));
        String data = "From: \"Dr Alice Martin\" <" + ALICE + ">\r\nTo: \"Jean Lefèvre\" <" + JEAN + ">\r\nSubject: "
            + MimeUtility.encodeText(subject, "UTF-8", "Q") + "\r\nMessage-ID: <" + secret + ">\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n--" + boundary + "\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n\r\nVotre IRM montre un meningiome de 12 mm.\r\n--" + boundary + "\r\n"
            + "Content-Type: application/pdf; name=\"CR-IRM-Lefevre-meningiome.pdf\"\r\n"
            + "Content-Disposition: attachment; filename=\"CR-IRM-Lefevre-meningiome.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + pdf + "\r\n--" + boundary + "--\r\n";
        data = new String(data.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertThat(sendAsProfessional(ALICE, JEAN, data.getBytes(StandardCharsets.ISO_8859_1))).allMatch(r -> r.startsWith("250"));
        awaitMessage(JEAN, secret);

        String notificationRaw = awaitParsed(PERSONAL, CitizenMails.NOTIFICATION_SUBJECT);
        MimeMessage notification = parse(notificationRaw);
        assertThat(MimeUtility.decodeText(notification.getHeader("Subject", null))).isEqualTo(CitizenMails.NOTIFICATION_SUBJECT);
        assertThat(notification.getHeader("From", null)).isEqualTo("ne-pas-repondre@patient.mss.test");
        assertThat(notification.getHeader("To", null)).isEqualTo(PERSONAL);
        assertThat(notification.getContent()).as("a single text part: no attachment").isInstanceOf(String.class);
        assertThat(notification.getContent()).isEqualTo(CitizenMails.notification("http://127.0.0.1:18081/"));
        assertNoHealthData(fullText(notification, notificationRaw));

        webAdmin("POST", "/mss/citizens/146026322000196/login-code", null);
        String codeRaw = awaitParsed(PERSONAL, CitizenMails.LOGIN_CODE_SUBJECT);
        MimeMessage code = parse(codeRaw);
        Matcher digits = Pattern.compile("est : (\\d{6})").matcher(String.valueOf(code.getContent()));
        assertThat(digits.find()).isTrue();
        assertThat(code.getContent()).isEqualTo(CitizenMails.loginCode(digits.group(1), 10, "http://127.0.0.1:18081/"));
        assertThat(code.getContent()).isInstanceOf(String.class);
        assertNoHealthData(fullText(code, codeRaw));
    }

    static void assertNoHealthData(String text) {
        for (String leak : new String[] {"IRM", "sultats", "rébrale", "tumeur", "meningiome", "méningiome", "12 mm", "CR-IRM",
            ".pdf", "Alice", "Martin", "alice.martin", "Dr ", "Jean", "Lef", "146026322000196", "confidentiel", "application/pdf"}) {
            assertThat(text).as("leaks '" + leak + "'").doesNotContainIgnoringCase(leak);
        }
    }

    /** The raw message plus every header decoded and the decoded body: what any reader could see. */
    static String fullText(MimeMessage message, String raw) throws Exception {
        StringBuilder text = new StringBuilder(raw);
        for (var header : java.util.Collections.list(message.getAllHeaders())) {
            text.append('\n').append(header.getName()).append(": ").append(MimeUtility.decodeText(header.getValue()));
        }
        return text.append('\n').append(message.getContent()).toString();
    }

    /** A message of the mailbox whose decoded subject is {@code subject}: its raw text. */
    static String awaitParsed(String mailbox, String subject) {
        String[] found = new String[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (String message : mailbox(mailbox)) {
                String header = parse(message).getHeader("Subject", null);
                if (header != null && MimeUtility.decodeText(header).equals(subject)) {
                    found[0] = message;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** The literal of one FETCH response ({@code BODY[] {n}}), CRLF line endings restored. */
    static MimeMessage parse(String fetched) throws Exception {
        Matcher size = Pattern.compile("BODY\\[\\] \\{(\\d+)\\}").matcher(fetched);
        if (!size.find()) {
            throw new IllegalStateException("not a FETCH BODY[] response");
        }
        int start = fetched.indexOf('\n', size.end()) + 1;
        String raw = fetched.substring(start).replace("\n", "\r\n");
        raw = raw.substring(0, Math.min(raw.length(), Integer.parseInt(size.group(1))));
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
