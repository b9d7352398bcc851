package fr.mssante.operator.bench.labday;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.FetchProfile;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.UIDFolder;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import fr.mssante.operator.documents.testing.TestDocuments;

/**
 * A lab's day (issue 16, item 3; M17), driven against a running packaged server (bench/labday/run.sh starts it):
 * creates the professionals' mailboxes over WebAdmin, has the lab's APP mailbox submit CR-BIO results (IHE_XDM.ZIP:
 * a CDA with an embedded PDF) over implicit-TLS submission with its certificate (SASL EXTERNAL), one recipient per
 * message, DSN NOTIFY=SUCCESS,FAILURE on every {@code dsnEvery}-th; waits until every message is in its mailbox, every
 * document filed in the DMP stand-in and every DSN in the lab's mailbox; then checks it all over IMAP (each recipient's
 * INBOX, the lab's INBOX) and SQL (the stand-in's documents, the outbox) and prints a Markdown report on stdout.
 *
 * <p>Arguments {@code key=value}: dir (the server's working directory), submissions, imaps, webadmin, db (ports), domain,
 * messages, recipients, connections, dsnEvery, rate (messages/s, 0 = as fast as accepted), timeoutSeconds.
 *
 * <p>Latency "accept → visible": accept = the driver's clock when the 250 to DATA arrives; visible = the mailbox row's
 * internal date (James sets it when it appends the message, in the delivery transaction), both on this machine's
 * clock. Every message is then also read back over IMAP to count it.
 */
public final class LabDay {
    static final String SEQ_HEADER = "X-Labday-Seq";
    static final String RECIPIENT_PREFIX = "pro.labday-";

    final Map<String, String> args;
    final Path dir;
    final String domain;
    final String lab;
    final int messages;
    final int recipients;
    final int connections;
    final int dsnEvery;
    final int copyEvery;
    final double rate;
    final String runId = Long.toString(System.currentTimeMillis() / 1000);
    final String documentRoot;
    final AtomicLongArray acceptedAt;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger tempFailures = new AtomicInteger();
    final AtomicInteger reconnects = new AtomicInteger();
    final AtomicInteger resentAfterLostReply = new AtomicInteger();
    final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    final AtomicLong sendStart = new AtomicLong();
    final AtomicLong sendEnd = new AtomicLong();
    final SecureRandom random = new SecureRandom();
    final String password = "Labday-" + Long.toHexString(new SecureRandom().nextLong());
    SSLContext labTls;
    SSLContext trustOnly;

    LabDay(Map<String, String> args) {
        this.args = args;
        this.dir = Path.of(args.get("dir"));
        this.domain = args.getOrDefault("domain", "demo.mss.test");
        this.lab = "laboratoire.resultats@" + domain;
        this.messages = Integer.parseInt(args.getOrDefault("messages", "10000"));
        this.recipients = Integer.parseInt(args.getOrDefault("recipients", "500"));
        this.connections = Integer.parseInt(args.getOrDefault("connections", "4"));
        this.dsnEvery = Integer.parseInt(args.getOrDefault("dsnEvery", "2"));
        this.copyEvery = Integer.parseInt(args.getOrDefault("copyEvery", "0"));
        this.rate = Double.parseDouble(args.getOrDefault("rate", "0"));
        this.documentRoot = "1.2.250.1.999.16." + runId;
        this.acceptedAt = new AtomicLongArray(messages);
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        new LabDay(args).run();
        System.exit(0);
    }

    static void log(String format, Object... values) {
        System.err.printf(Locale.ROOT, "labday %s: %s%n", Instant.now().toString().substring(11, 19), String.format(Locale.ROOT, format, values));
    }

    String recipient(int seq) {
        return String.format(Locale.ROOT, "%s%03d@%s", RECIPIENT_PREFIX, seq % recipients, domain);
    }

    /** Every copyEvery-th message also goes to a second professional (the GP's copy): one document, two mailboxes. */
    boolean copied(int seq) {
        return copyEvery > 0 && seq % copyEvery == 0;
    }

    String copyRecipient(int seq) {
        return String.format(Locale.ROOT, "%s%03d@%s", RECIPIENT_PREFIX, (seq + recipients / 2) % recipients, domain);
    }

    List<String> recipientsOf(int seq) {
        return copied(seq) ? List.of(recipient(seq), copyRecipient(seq)) : List.of(recipient(seq));
    }

    int expectedRows() {
        int rows = 0;
        for (int seq = 0; seq < messages; seq++) {
            if (acceptedAt.get(seq) != 0) {
                rows += recipientsOf(seq).size();
            }
        }
        return rows;
    }

    boolean dsnRequested(int seq) {
        return dsnEvery > 0 && seq % dsnEvery == 0;
    }

    void run() throws Exception {
        Path pki = dir.resolve("var/dev/pki");
        labTls = tls(pki.resolve("laboratoire-chain.pem"), pki.resolve("laboratoire-key.pem"), pki.resolve("ca.pem"));
        trustOnly = tls(null, null, pki.resolve("ca.pem"));
        createRecipients();
        byte[] sample = message(0);
        log("message size %d bytes (IHE_XDM.ZIP with a CDA embedding a PDF)", sample.length);
        try (Connection db = database()) {
            Instant started = Instant.now();
            send();
            Map<String, Object> progress = waitUntilDrained(db, started);
            report(db, sample.length, progress);
        }
    }

    // ------------------------------------------------------------------ set-up

    void createRecipients() throws Exception {
        String token = Files.readString(dir.resolve("var/dev/webadmin.token")).trim();
        String base = "http://127.0.0.1:" + args.get("webadmin");
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            int index = i;
            done.add(pool.submit(() -> {
                String address = recipient(index);
                String encoded = URLEncoder.encode(address, StandardCharsets.UTF_8);
                call(http, token, "PUT", base + "/users/" + encoded, "{\"password\":\"" + password + "\"}");
                call(http, token, "PUT", base + "/mss/mailboxes/" + encoded + "?kind=PER&holder="
                    + String.format(Locale.ROOT, "81%010d", 1_000_000 + index) + "&description=Dr%20Labday%20" + index, null);
                call(http, token, "PUT", base + "/users/" + encoded + "/mailboxes/INBOX", null);
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        log("%d professional mailboxes created", recipients);
    }

    static void call(HttpClient http, String token, String method, String url, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
        }
    }

    // ------------------------------------------------------------------ the lab's messages

    /** A valid-looking INS (NIR key computed), one of 1,000 synthetic patients born in March 1979 (the CDA's traits). */
    static String ins(int seq) {
        String first13 = String.format(Locale.ROOT, "27903512%05d", 15_000 + seq % 1000);
        long key = 97 - Long.parseLong(first13) % 97;
        return first13 + String.format(Locale.ROOT, "%02d", key);
    }

    /** A PDF of ~40 KB whose stream is random (incompressible, as a real scanned or image-rich report). */
    byte[] pdf(int seq) {
        byte[] noise = new byte[40_000];
        random.nextBytes(noise);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            + "3 0 obj<</Length " + noise.length + ">>stream\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(noise);
        out.writeBytes(("\nendstream endobj\n% CR-BIO " + seq + "\ntrailer<</Root 1 0 R>>\n%%EOF\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    String documentId(int seq) {
        return documentRoot + "^CRBIO-" + seq;
    }

    byte[] message(int seq) throws Exception {
        TestDocuments.Cda cda = TestDocuments.cda().withId(documentRoot, "CRBIO-" + seq).withIns(ins(seq), TestDocuments.TEST_OID)
            .withBody(TestDocuments.Cda.Body.N1_PDF, pdf(seq));
        byte[] zip = TestDocuments.xdmZip("SUBSET01", List.of(TestDocuments.XdmDocument.cda("DOC0001.XML", cda)), false);
        MimeMessage message = TestDocuments.message("CR-BIO résultat " + seq,
            TestDocuments.attachment(zip, "IHE_XDM.ZIP", "application/zip"));
        message.setFrom(new InternetAddress(lab));
        message.setRecipients(Message.RecipientType.TO, recipient(seq));
        if (copied(seq)) {
            message.setRecipients(Message.RecipientType.CC, copyRecipient(seq));
        }
        message.setHeader(SEQ_HEADER, Integer.toString(seq));
        message.saveChanges();
        message.setHeader("Message-ID", "<labday." + runId + "." + seq + "@" + domain + ">");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        message.writeTo(raw);
        return raw.toByteArray();
    }

    // ------------------------------------------------------------------ submission

    void send() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        sendStart.set(System.currentTimeMillis());
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            done.add(pool.submit(() -> {
                sender();
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();
        sendEnd.set(System.currentTimeMillis());
        log("submitted %d messages in %.1f s (%d temporary refusals retried, %d reconnections, refusals %s)", accepted.get(),
            (sendEnd.get() - sendStart.get()) / 1000.0, tempFailures.get(), reconnects.get(), refusals);
    }

    void sender() throws Exception {
        Smtp smtp = null;
        int seq;
        while ((seq = next.getAndIncrement()) < messages) {
            if (rate > 0) {
                long due = sendStart.get() + (long) (seq * 1000 / rate);
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            }
            byte[] body = message(seq);
            int attempt = 0;
            while (true) {
                attempt++;
                try {
                    if (smtp == null) {
                        smtp = Smtp.open(labTls, Integer.parseInt(args.get("submissions")));
                    }
                    String reply = smtp.transaction(lab, recipientsOf(seq), dsnRequested(seq), "LABDAY." + runId + "." + seq, body);
                    if (reply.startsWith("250")) {
                        acceptedAt.set(seq, System.currentTimeMillis());
                        int n = accepted.incrementAndGet();
                        if (n % 500 == 0) {
                            log("%d accepted", n);
                        }
                        break;
                    }
                    if (reply.startsWith("4")) {
                        tempFailures.incrementAndGet();
                        refusals.computeIfAbsent(reply.length() > 60 ? reply.substring(0, 60) : reply, k -> new AtomicInteger()).incrementAndGet();
                        smtp.close();
                        smtp = null;
                        Thread.sleep(1000);
                        continue;
                    }
                    refusals.computeIfAbsent(reply.length() > 60 ? reply.substring(0, 60) : reply, k -> new AtomicInteger()).incrementAndGet();
                    break; // permanent refusal: counted, not retried
                } catch (IOException e) {
                    // connection lost: send again (the 250 may have been lost with it: the recipient may get it twice)
                    reconnects.incrementAndGet();
                    if (smtp != null && smtp.inData) {
                        resentAfterLostReply.incrementAndGet();
                    }
                    if (smtp != null) {
                        smtp.close();
                    }
                    smtp = null;
                    if (attempt > 20) {
                        throw e;
                    }
                    Thread.sleep(1000);
                }
            }
        }
        if (smtp != null) {
            smtp.quit();
        }
    }

    /** A minimal SMTP client: implicit TLS with the lab's certificate, AUTH EXTERNAL, pipelining not used. */
    static final class Smtp {
        final SSLSocket socket;
        final InputStream in;
        final OutputStream out;
        boolean inData;

        Smtp(SSLSocket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static Smtp open(SSLContext tls, int port) throws IOException {
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
            socket.setSoTimeout(300_000);
            Smtp smtp = new Smtp(socket);
            expect(smtp.reply(), "220");
            expect(smtp.command("EHLO lab.labday.test"), "250");
            expect(smtp.command("AUTH EXTERNAL ="), "235");
            return smtp;
        }

        static void expect(String reply, String code) throws IOException {
            if (!reply.startsWith(code)) {
                throw new IOException("unexpected reply (wanted " + code + "): " + reply);
            }
        }

        String transaction(String from, List<String> recipients, boolean dsn, String envid, byte[] body) throws IOException {
            String reply = command("MAIL FROM:<" + from + ">" + (dsn ? " RET=HDRS ENVID=" + envid : ""));
            if (!reply.startsWith("250")) {
                return reply;
            }
            for (String to : recipients) {
                reply = command("RCPT TO:<" + to + ">" + (dsn ? " NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;" + to : ""));
                if (!reply.startsWith("250")) {
                    command("RSET");
                    return reply;
                }
            }
            reply = command("DATA");
            if (!reply.startsWith("354")) {
                command("RSET");
                return reply;
            }
            inData = true;
            out.write(dotStuffed(body));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reply = reply();
            inData = false;
            return reply;
        }

        static byte[] dotStuffed(byte[] body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
            boolean lineStart = true;
            for (int i = 0; i < body.length; i++) {
                byte b = body[i];
                if (b == '\n' && (i == 0 || body[i - 1] != '\r')) {
                    out.write('\r');
                }
                if (lineStart && b == '.') {
                    out.write('.');
                }
                out.write(b);
                lineStart = b == '\n';
            }
            if (!lineStart) {
                out.write('\r');
                out.write('\n');
            }
            return out.toByteArray();
        }

        String command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply();
        }

        String reply() throws IOException {
            StringBuilder all = new StringBuilder();
            while (true) {
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) != -1 && c != '\n') {
                    if (c != '\r') {
                        line.append((char) c);
                    }
                }
                if (c == -1) {
                    throw new IOException("connection closed" + (all.length() > 0 ? " after " + all : ""));
                }
                all.append(line).append('\n');
                if (line.length() < 4 || line.charAt(3) != '-') {
                    return all.toString().trim();
                }
            }
        }

        void quit() {
            try {
                command("QUIT");
            } catch (IOException e) {
                // ending anyway
            }
            close();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // ending anyway
            }
        }
    }

    // ------------------------------------------------------------------ waiting and measuring

    Connection database() throws Exception {
        String superPassword = Files.readString(dir.resolve("var/store/postgres.superuser.password")).trim();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + args.get("db") + "/mss", "postgres", superPassword);
    }

    long scalar(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    Map<String, Long> outboxStates(Connection db) throws SQLException {
        Map<String, Long> states = new TreeMap<>();
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(
            "SELECT state, count(*) FROM dmp.submission WHERE document_unique_id LIKE '" + documentRoot + "^%' GROUP BY state")) {
            while (rows.next()) {
                states.put(rows.getString(1), rows.getLong(2));
            }
        }
        return states;
    }

    String delivered() {
        return "SELECT count(*) FROM james.james_mail m JOIN james.james_mailbox b ON b.mailbox_id = m.mailbox_id"
            + " WHERE b.user_name LIKE '" + RECIPIENT_PREFIX + "%'";
    }

    String labMailbox() {
        return "SELECT count(*) FROM james.james_mail m JOIN james.james_mailbox b ON b.mailbox_id = m.mailbox_id"
            + " WHERE b.user_name = '" + lab + "'";
    }

    String filed() {
        return "SELECT count(*) FROM dmp_standin.document WHERE unique_id LIKE '" + documentRoot + "^%'";
    }

    Map<String, Object> waitUntilDrained(Connection db, Instant started) throws Exception {
        int expectedDsn = 0;
        for (int seq = 0; seq < messages; seq++) {
            if (dsnRequested(seq) && acceptedAt.get(seq) != 0) {
                expectedDsn++;
            }
        }
        long timeout = Long.parseLong(args.getOrDefault("timeoutSeconds", "5400")) * 1000;
        Map<String, Object> progress = new LinkedHashMap<>();
        long lastChange = System.currentTimeMillis();
        String last = "";
        while (true) {
            long delivered = scalar(db, delivered());
            long filed = scalar(db, filed());
            long labInbox = scalar(db, labMailbox());
            Map<String, Long> outbox = outboxStates(db);
            String line = String.format(Locale.ROOT, "accepted %d, delivered %d, filed %d, outbox %s, lab's mailbox %d (DSNs expected %d)",
                accepted.get(), delivered, filed, outbox, labInbox, expectedDsn);
            if (!line.equals(last)) {
                log("%s", line);
                last = line;
                lastChange = System.currentTimeMillis();
            }
            boolean pending = outbox.getOrDefault("QUEUED", 0L) + outbox.getOrDefault("SENDING", 0L) > 0;
            if (delivered >= expectedRows() && filed >= accepted.get() && labInbox >= expectedDsn && !pending) {
                progress.put("complete", true);
                break;
            }
            if (System.currentTimeMillis() - started.toEpochMilli() > timeout) {
                log("timed out");
                progress.put("complete", false);
                break;
            }
            if (System.currentTimeMillis() - lastChange > 600_000) {
                log("no progress for 10 minutes: giving up");
                progress.put("complete", false);
                break;
            }
            Thread.sleep(2000);
        }
        progress.put("expectedDsn", expectedDsn);
        // a little longer: anything arriving late (a duplicate, an unrequested DSN) is counted too
        Thread.sleep(10_000);
        return progress;
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    void report(Connection db, int messageSize, Map<String, Object> progress) throws Exception {
        // visible times (mailbox rows) per sequence number
        long[] visibleAt = new long[messages];
        int rowsDelivered = 0;
        int wrongMailbox = 0;
        Map<String, Integer> pairs = new HashMap<>();
        List<Long> latencies = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(
            "SELECT b.user_name, substring(convert_from(m.header_bytes, 'UTF8') from '" + SEQ_HEADER + ": ([0-9]+)'),"
                + " (extract(epoch from m.mail_date AT TIME ZONE current_setting('TimeZone')) * 1000)::bigint"
                + " FROM james.james_mail m JOIN james.james_mailbox b ON b.mailbox_id = m.mailbox_id"
                + " WHERE b.user_name LIKE '" + RECIPIENT_PREFIX + "%'")) {
            while (rows.next()) {
                rowsDelivered++;
                int seq = Integer.parseInt(rows.getString(2));
                if (!recipientsOf(seq).contains(rows.getString(1))) {
                    wrongMailbox++;
                }
                pairs.merge(seq + " " + rows.getString(1), 1, Integer::sum);
                visibleAt[seq] = Math.max(visibleAt[seq], rows.getLong(3));
                if (acceptedAt.get(seq) != 0) {
                    latencies.add(rows.getLong(3) - acceptedAt.get(seq));
                }
            }
        }
        int duplicateRows = rowsDelivered - pairs.size();
        long firstAccept = Long.MAX_VALUE;
        long lastAccept = 0;
        long lastVisible = 0;
        for (int seq = 0; seq < messages; seq++) {
            long a = acceptedAt.get(seq);
            if (a != 0) {
                firstAccept = Math.min(firstAccept, a);
                lastAccept = Math.max(lastAccept, a);
            }
            if (a != 0 && visibleAt[seq] != 0) {
                lastVisible = Math.max(lastVisible, visibleAt[seq]);
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();

        // filing: stand-in rows and the outbox
        long filedRows = scalar(db, filed());
        long filedDistinct = scalar(db, "SELECT count(DISTINCT unique_id) FROM dmp_standin.document WHERE unique_id LIKE '" + documentRoot + "^%'");
        long firstFiled = scalar(db, "SELECT coalesce((extract(epoch from min(received_at)) * 1000)::bigint, 0) FROM dmp_standin.document WHERE unique_id LIKE '" + documentRoot + "^%'");
        long lastFiled = scalar(db, "SELECT coalesce((extract(epoch from max(received_at)) * 1000)::bigint, 0) FROM dmp_standin.document WHERE unique_id LIKE '" + documentRoot + "^%'");
        long outboxRows = scalar(db, "SELECT count(*) FROM dmp.submission WHERE document_unique_id LIKE '" + documentRoot + "^%'");
        long outboxDistinct = scalar(db, "SELECT count(DISTINCT document_unique_id) FROM dmp.submission WHERE document_unique_id LIKE '" + documentRoot + "^%'");
        long alreadyInDmp = scalar(db, "SELECT count(*) FROM dmp.submission WHERE document_unique_id LIKE '" + documentRoot + "^%' AND coalesce(last_error, '') ILIKE '%already%'");
        long retries = scalar(db, "SELECT coalesce(sum(greatest(attempts - 1, 0)), 0) FROM dmp.submission WHERE document_unique_id LIKE '" + documentRoot + "^%'");
        Map<String, Long> outbox = outboxStates(db);
        List<Long> filingLatencies = new ArrayList<>();
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(
            "SELECT unique_id, (extract(epoch from received_at) * 1000)::bigint FROM dmp_standin.document WHERE unique_id LIKE '" + documentRoot + "^%'")) {
            while (rows.next()) {
                int seq = Integer.parseInt(rows.getString(1).substring(rows.getString(1).indexOf("^CRBIO-") + 7));
                if (acceptedAt.get(seq) != 0) {
                    filingLatencies.add(rows.getLong(2) - acceptedAt.get(seq));
                }
            }
        }
        long[] filingSorted = filingLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long lastLabMail = scalar(db, "SELECT coalesce((extract(epoch from max(m.mail_date) AT TIME ZONE current_setting('TimeZone')) * 1000)::bigint, 0)"
            + " FROM james.james_mail m JOIN james.james_mailbox b ON b.mailbox_id = m.mailbox_id WHERE b.user_name = '" + lab + "'");

        // every recipient's INBOX over IMAP
        Map<String, Integer> imap = imapCheck();
        // the lab's mailbox over IMAP: the DSNs and any other notice
        Map<String, Object> dsn = dsnCheck();

        long drainEnd = Math.max(lastVisible, Math.max(lastFiled, lastLabMail));
        double drain = (drainEnd - sendStart.get()) / 1000.0;
        StringBuilder r = new StringBuilder();
        r.append(String.format(Locale.ROOT, "%d CR-BIO messages (%d bytes each: IHE_XDM.ZIP with a CDA embedding a %d KB PDF) from the lab's APP"
            + " mailbox (certificate, SASL EXTERNAL, %d connection(s)%s) to %d professionals%s; NOTIFY=SUCCESS,FAILURE on %s.%n%n",
            messages, messageSize, 40, connections, rate > 0 ? String.format(Locale.ROOT, ", paced at %.1f msg/s", rate) : ", as fast as accepted",
            recipients, copyEvery > 0 ? String.format(Locale.ROOT, " (%s also to a second professional: %d deliveries)",
                copyEvery == 1 ? "every message" : "one message in " + copyEvery, expectedRows()) : "",
            dsnEvery == 1 ? "every message" : dsnEvery > 0 ? "one message in " + dsnEvery : "none"));
        r.append("| Measure | Result |\n|---|---|\n");
        r.append(String.format(Locale.ROOT, "| drained (every message visible, every document filed, every DSN in the lab's mailbox) | %s |%n",
            Boolean.TRUE.equals(progress.get("complete")) ? "yes" : "**no** (timed out or stalled)"));
        r.append(String.format(Locale.ROOT, "| time to drain, first submission → last of (visible, filed, DSN) | %.0f s (%.1f min) |%n", drain, drain / 60));
        r.append(String.format(Locale.ROOT, "| submission: accepted (250) / refused / temporary refusals retried / reconnections | %d / %d / %d / %d, in %.0f s (%.1f msg/s) |%n",
            accepted.get(), refusals.entrySet().stream().filter(e -> !e.getKey().startsWith("4")).mapToInt(e -> e.getValue().get()).sum(),
            tempFailures.get(), reconnects.get(), (sendEnd.get() - sendStart.get()) / 1000.0,
            accepted.get() * 1000.0 / Math.max(1, sendEnd.get() - sendStart.get())));
        if (!refusals.isEmpty()) {
            r.append("| refusal replies | ").append(refusals.toString().replace("|", "/").replace("\n", " ")).append(" |\n");
        }
        r.append(String.format(Locale.ROOT, "| delivered: expected / mailbox rows / distinct (message, mailbox) / in the wrong mailbox / duplicates | %d / %d / %d / %d / %d |%n",
            expectedRows(), rowsDelivered, pairs.size(), wrongMailbox, duplicateRows));
        r.append(String.format(Locale.ROOT, "| read back over IMAP (%d INBOXes): messages / distinct / missing / duplicates / wrong mailbox | %d / %d / %d / %d / %d |%n",
            recipients, imap.get("messages"), imap.get("distinct"), imap.get("missing"), imap.get("duplicates"), imap.get("wrong")));
        r.append(String.format(Locale.ROOT, "| latency accept (250) → visible in the mailbox: p50 / p90 / p99 / max | %.0f / %.0f / %.0f / %.0f ms (%d messages) |%n",
            percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99), percentile(sorted, 100), sorted.length));
        r.append(String.format(Locale.ROOT, "| filed into the stand-in: documents / distinct / duplicates | %d / %d / %d |%n",
            filedRows, filedDistinct, filedRows - filedDistinct));
        r.append(String.format(Locale.ROOT, "| outbox: rows / distinct documents / states / retried attempts / \"already in the DMP\" | %d / %d / %s / %d / %d |%n",
            outboxRows, outboxDistinct, outbox, retries, alreadyInDmp));
        r.append(String.format(Locale.ROOT, "| filing rate, first → last filing / over the whole drain | %.1f / %.1f documents/s |%n",
            filedRows * 1000.0 / Math.max(1, lastFiled - firstFiled), filedRows / Math.max(0.001, drain)));
        r.append(String.format(Locale.ROOT, "| latency accept (250) → filed in the stand-in: p50 / p99 / max | %.0f / %.0f / %.0f ms |%n",
            percentile(filingSorted, 50), percentile(filingSorted, 99), percentile(filingSorted, 100)));
        r.append(String.format(Locale.ROOT, "| DSNs in the lab's mailbox: messages requesting / DSNs received; recipients requested / reported / missing / duplicates / unrequested / not \"delivered\" | %d / %d; %d / %d / %d / %d / %d / %d |%n",
            progress.get("expectedDsn"), dsn.get("dsn"), dsn.get("requested"), dsn.get("distinct"), dsn.get("missing"), dsn.get("duplicates"), dsn.get("unrequested"), dsn.get("notDelivered")));
        r.append(String.format(Locale.ROOT, "| other messages in the lab's mailbox (integration error notices …) | %s |%n", dsn.get("others")));
        System.out.print(r);
        System.out.flush();
    }

    Properties imapProperties() {
        Properties properties = new Properties();
        properties.put("mail.imaps.ssl.socketFactory", trustOnly.getSocketFactory());
        properties.put("mail.imaps.ssl.checkserveridentity", "false");
        properties.put("mail.imaps.connectiontimeout", "30000");
        properties.put("mail.imaps.timeout", "300000");
        return properties;
    }

    Map<String, Integer> imapCheck() throws Exception {
        Map<String, Integer> seen = new HashMap<>();
        int total = 0;
        int wrong = 0;
        Session session = Session.getInstance(imapProperties());
        int port = Integer.parseInt(args.get("imaps"));
        for (int i = 0; i < recipients; i++) {
            String address = recipient(i);
            Store store = session.getStore("imaps");
            store.connect("127.0.0.1", port, address, password);
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] all = inbox.getMessages();
                FetchProfile profile = new FetchProfile();
                profile.add(SEQ_HEADER);
                profile.add(UIDFolder.FetchProfileItem.UID);
                inbox.fetch(all, profile);
                for (Message message : all) {
                    String[] value = message.getHeader(SEQ_HEADER);
                    if (value == null) {
                        continue;
                    }
                    int seq = Integer.parseInt(value[0].trim());
                    total++;
                    seen.merge(seq + " " + address, 1, Integer::sum);
                    if (!recipientsOf(seq).contains(address)) {
                        wrong++;
                    }
                }
                inbox.close(false);
            } finally {
                store.close();
            }
        }
        int missing = 0;
        for (int seq = 0; seq < messages; seq++) {
            for (String address : recipientsOf(seq)) {
                if (acceptedAt.get(seq) != 0 && !seen.containsKey(seq + " " + address)) {
                    missing++;
                }
            }
        }
        int duplicates = seen.values().stream().mapToInt(n -> n - 1).sum();
        return Map.of("messages", total, "distinct", seen.size(), "missing", missing, "duplicates", duplicates, "wrong", wrong);
    }

    static final Pattern ENVID = Pattern.compile("(?im)^Original-Envelope-Id:\\s*LABDAY\\.\\d+\\.(\\d+)");
    static final Pattern ACTION = Pattern.compile("(?im)^Action:\\s*(\\S+)");
    static final Pattern SUBJECT = Pattern.compile("(?im)^Subject:(.*)$");
    static final Pattern FETCH_START = Pattern.compile("(?m)^\\* \\d+ FETCH ");
    static final Pattern FINAL_RECIPIENT = Pattern.compile("(?im)^Final-Recipient:\\s*rfc822;\\s*(\\S+)");

    Map<String, Object> dsnCheck() throws Exception {
        Properties credentials = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve("var/dev/demo-credentials.properties"))) {
            credentials.load(reader);
        }
        Map<String, Integer> seen = new HashMap<>();
        int dsns = 0;
        int notDelivered = 0;
        Map<String, Integer> others = new TreeMap<>();
        // one FETCH for the whole INBOX over a raw IMAP session (javax.mail would make one round trip per message)
        for (String fetched : fetchAll(lab, credentials.getProperty(lab))) {
            String lower = fetched.toLowerCase(Locale.ROOT);
            if (lower.contains("multipart/report") && lower.contains("delivery-status")) {
                dsns++;
                Matcher envid = ENVID.matcher(fetched);
                int seq = envid.find() ? Integer.parseInt(envid.group(1)) : -1;
                Matcher recipient = FINAL_RECIPIENT.matcher(fetched);
                while (recipient.find()) {
                    seen.merge(seq + " " + recipient.group(1).toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
                Matcher action = ACTION.matcher(fetched);
                while (action.find()) {
                    if (!action.group(1).equalsIgnoreCase("delivered")) {
                        notDelivered++;
                    }
                }
            } else {
                Matcher subject = SUBJECT.matcher(fetched);
                String key = subject.find() ? subject.group(1).trim() : "(no subject)";
                key = key.length() > 40 ? key.substring(0, 40) : key;
                others.merge(key.replaceAll("\\d+", "N"), 1, Integer::sum);
            }
        }
        int missing = 0;
        int requested = 0;
        int unrequested = 0;
        for (int seq = 0; seq < messages; seq++) {
            for (String address : recipientsOf(seq)) {
                boolean reported = seen.containsKey(seq + " " + address);
                if (dsnRequested(seq) && acceptedAt.get(seq) != 0) {
                    requested++;
                    missing += reported ? 0 : 1;
                } else if (reported) {
                    unrequested++;
                }
            }
        }
        int duplicates = seen.values().stream().mapToInt(n -> n - 1).sum();
        Map<String, Object> result = new HashMap<>();
        result.put("dsn", dsns);
        result.put("requested", requested);
        result.put("distinct", seen.size());
        result.put("missing", missing);
        result.put("duplicates", duplicates);
        result.put("unrequested", unrequested);
        result.put("notDelivered", notDelivered);
        result.put("others", others.isEmpty() ? "none" : others.toString());
        return result;
    }

    /** Every message of the INBOX (headers and text), one string each: LOGIN, SELECT, one FETCH 1:*, LOGOUT. */
    List<String> fetchAll(String user, String secret) throws Exception {
        try (SSLSocket socket = (SSLSocket) trustOnly.getSocketFactory().createSocket("127.0.0.1", Integer.parseInt(args.get("imaps")))) {
            socket.setSoTimeout(600_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            imapUntil(in, null);
            imapCommand(in, out, "a1 LOGIN \"" + user + "\" \"" + secret + "\"", "a1");
            imapCommand(in, out, "a2 SELECT INBOX", "a2");
            String all = imapCommand(in, out, "a3 FETCH 1:* (BODY.PEEK[HEADER] BODY.PEEK[TEXT])", "a3");
            imapCommand(in, out, "a4 LOGOUT", "a4");
            List<String> fetched = new ArrayList<>();
            Matcher start = FETCH_START.matcher(all);
            int previous = -1;
            while (start.find()) {
                if (previous >= 0) {
                    fetched.add(all.substring(previous, start.start()));
                }
                previous = start.start();
            }
            if (previous >= 0) {
                fetched.add(all.substring(previous));
            }
            return fetched;
        }
    }

    static String imapCommand(InputStream in, OutputStream out, String command, String tag) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String response = imapUntil(in, tag);
        String last = response.substring(response.lastIndexOf(tag + " "));
        if (!last.startsWith(tag + " OK")) {
            throw new IOException("IMAP " + command.split(" ")[1] + ": " + last.trim());
        }
        return response;
    }

    /** Reads lines (literals included as they come) until the tagged answer (or the greeting when tag is null). */
    static String imapUntil(InputStream in, String tag) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            all.write(c);
            if (c != '\n') {
                line.write(c);
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            Matcher literal = Pattern.compile("\\{(\\d+)}\r?$").matcher(text);
            if (literal.find()) {
                all.write(in.readNBytes(Integer.parseInt(literal.group(1))));
                continue;
            }
            if (tag == null || text.startsWith(tag + " ")) {
                return all.toString(StandardCharsets.UTF_8);
            }
        }
        throw new IOException("IMAP connection closed");
    }

    // ------------------------------------------------------------------ TLS material

    static SSLContext tls(Path chainPem, Path keyPem, Path caPem) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            int i = 0;
            for (Certificate ca : x509.generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, ca);
            }
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (chainPem != null) {
            Certificate[] chain;
            try (InputStream in = Files.newInputStream(chainPem)) {
                chain = x509.generateCertificates(in).toArray(new Certificate[0]);
            }
            PrivateKey key;
            try (PEMParser parser = new PEMParser(Files.newBufferedReader(keyPem))) {
                Object object = parser.readObject();
                JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
                key = object instanceof PEMKeyPair pair ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((PrivateKeyInfo) object);
            }
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            identity.setKeyEntry("lab", key, new char[0], chain);
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(identity, new char[0]);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}
