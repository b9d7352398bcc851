package fr.mssante.operator.delivery;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import com.sun.mail.smtp.SMTPOutputStream;

/**
 * A client SMTP session to another operator's MX, always under STARTTLS with our client certificate. Several mail
 * transactions may follow one another on the same session (RSET between them): this is how TLS connections are
 * reused. Not thread-safe: one thread uses a connection at a time (the pool guarantees it).
 */
final class SmtpConnection implements AutoCloseable {
    private final Route route;
    private final Socket plain;
    private SSLSocket socket;
    private BufferedReader in;
    private OutputStream out;
    private Set<String> extensions = new TreeSet<>();
    private X509Certificate[] peerChain;
    private int transactions;
    private long lastUsedNanos = System.nanoTime();

    private SmtpConnection(Route route, Socket plain) throws IOException {
        this.route = route;
        this.plain = plain;
        attach(plain);
    }

    /** Connects, greets, STARTTLS (mandatory), greets again. */
    static SmtpConnection open(Route route, String heloName, SSLContext tls, Duration timeout) throws IOException, SmtpException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(route.host(), route.port()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            SmtpConnection connection = new SmtpConnection(route, socket);
            connection.expect(connection.reply(), "greeting");
            connection.ehlo(heloName);
            if (!connection.extensions.contains("STARTTLS")) {
                throw new SmtpException(new SmtpReply(421, "4.7.0 " + route + " does not offer STARTTLS; the MSSante trust space requires TLS"));
            }
            connection.expect(connection.command("STARTTLS"), "STARTTLS");
            connection.upgrade(tls);
            connection.ehlo(heloName);
            return connection;
        } catch (IOException | SmtpException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void upgrade(SSLContext tls) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, route.host(), route.port(), true);
        ssl.setUseClientMode(true);
        ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        ssl.startHandshake();
        Certificate[] chain = ssl.getSession().getPeerCertificates();
        peerChain = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            peerChain[i] = (X509Certificate) chain[i];
        }
        socket = ssl;
        attach(ssl);
    }

    private void attach(Socket socket) throws IOException {
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = new BufferedOutputStream(socket.getOutputStream());
    }

    private void ehlo(String heloName) throws IOException, SmtpException {
        SmtpReply reply = expect(command("EHLO " + heloName), "EHLO");
        Set<String> found = new TreeSet<>();
        reply.text().lines().skip(1).forEach(line -> found.add(line.split(" ")[0].toUpperCase(Locale.ROOT)));
        extensions = found;
    }

    X509Certificate[] peerChain() {
        return peerChain.clone();
    }

    boolean supports(String extension) {
        return extensions.contains(extension);
    }

    Route route() {
        return route;
    }

    int transactions() {
        return transactions;
    }

    long idleNanos() {
        return System.nanoTime() - lastUsedNanos;
    }

    SmtpReply mailFrom(String reversePath, String parameters) throws IOException {
        transactions++;
        lastUsedNanos = System.nanoTime();
        return command("MAIL FROM:<" + reversePath + ">" + parameters);
    }

    SmtpReply rcptTo(String forwardPath, String parameters) throws IOException {
        return command("RCPT TO:<" + forwardPath + ">" + parameters);
    }

    /** DATA, the message (CRLF line ends, dot-stuffed), and the final dot. */
    SmtpReply data(MimeMessage message) throws IOException, MessagingException, SmtpException {
        SmtpReply go = command("DATA");
        if (go.code() != 354) {
            return go;
        }
        SMTPOutputStream data = new SMTPOutputStream(out);
        message.writeTo(data);
        data.ensureAtBOL();
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        lastUsedNanos = System.nanoTime();
        return reply();
    }

    /** Ends a transaction so that the session can carry the next one; false when the session is no longer usable. */
    boolean reset() {
        try {
            return command("RSET").code() == 250;
        } catch (IOException e) {
            return false;
        }
    }

    private SmtpReply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    private SmtpReply reply() throws IOException {
        StringBuilder text = new StringBuilder();
        int code;
        String line;
        do {
            line = in.readLine();
            if (line == null || line.length() < 3) {
                throw new IOException("Connection to " + route + " closed" + (line == null ? "" : " after '" + line + "'"));
            }
            code = Integer.parseInt(line.substring(0, 3));
            text.append(text.length() == 0 ? "" : "\n").append(line.length() > 4 ? line.substring(4) : "");
        } while (line.length() > 3 && line.charAt(3) == '-');
        return new SmtpReply(code, text.toString(), Optional.of(route.host()));
    }

    private SmtpReply expect(SmtpReply reply, String step) throws SmtpException {
        if (!reply.isPositive()) {
            throw new SmtpException(reply);
        }
        return reply;
    }

    @Override
    public void close() {
        try {
            command("QUIT");
        } catch (IOException | RuntimeException e) {
            // the peer may already have closed the session; closing the socket below is all that matters
        }
        try {
            (socket != null ? socket : plain).close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    /** A negative reply that ends the attempt on this connection. */
    static final class SmtpException extends Exception {
        private final SmtpReply reply;

        SmtpException(SmtpReply reply) {
            super(reply.toString());
            this.reply = reply;
        }

        SmtpReply reply() {
            return reply;
        }
    }
}
