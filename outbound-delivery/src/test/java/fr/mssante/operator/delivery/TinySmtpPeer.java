package fr.mssante.operator.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

import fr.mssante.operator.trust.testpki.IssuedCertificate;

/**
 * Another operator's MX, in the test JVM: STARTTLS with its own certificate (asking for ours), DSN announced or not,
 * each RCPT answered by a rule; it records every command and message so that tests see what went over the wire.
 */
final class TinySmtpPeer implements AutoCloseable {
    private final ServerSocket server;
    private final SSLContext tls;
    private final boolean offerStartTls;
    private final boolean offerDsn;
    private final Function<String, String> rcptReply;
    private final Thread acceptor;
    final List<String> commands = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<String> clientCertificates = new CopyOnWriteArrayList<>();
    final AtomicInteger sessions = new AtomicInteger();

    /**
     * @param rcptReply the reply line to a RCPT TO for an address (e.g. {@code 250 ok}, {@code 550 5.1.1 unknown})
     */
    TinySmtpPeer(IssuedCertificate identity, List<X509Certificate> acceptedIssuers, boolean offerStartTls, boolean offerDsn,
                 Function<String, String> rcptReply) throws Exception {
        this.offerStartTls = offerStartTls;
        this.offerDsn = offerDsn;
        this.rcptReply = rcptReply;
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("peer", identity.privateKey(), "x".toCharArray(), identity.chainArray());
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "x".toCharArray());
        this.tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), new X509TrustManager[] {new RecordingTrustManager(acceptedIssuers)}, null);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "tiny-smtp-peer");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Route route() {
        return new Route("127.0.0.1", server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sessions.incrementAndGet();
                Thread session = new Thread(() -> serve(socket), "tiny-smtp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket plain) {
        Socket socket = plain;
        try {
            BufferedReader in = reader(socket);
            OutputStream out = socket.getOutputStream();
            boolean secure = false;
            send(out, "220 peer.example ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> send(out, "250-peer.example" + (offerStartTls && !secure ? "\r\n250-STARTTLS" : "")
                        + (offerDsn ? "\r\n250-DSN" : "") + "\r\n250-SIZE 10000000\r\n250 8BITMIME");
                    case "STARTTLS" -> {
                        send(out, "220 2.0.0 go ahead");
                        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
                        ssl.setUseClientMode(false);
                        ssl.setWantClientAuth(true);
                        ssl.startHandshake();
                        try {
                            clientCertificates.add(((X509Certificate) ssl.getSession().getPeerCertificates()[0])
                                .getSubjectX500Principal().getName());
                        } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
                            clientCertificates.add("none");
                        }
                        socket = ssl;
                        secure = true;
                        in = reader(socket);
                        out = socket.getOutputStream();
                    }
                    case "MAIL", "RSET", "NOOP" -> send(out, "250 2.0.0 ok");
                    case "RCPT" -> send(out, rcptReply.apply(line.substring(line.indexOf('<') + 1, line.indexOf('>'))));
                    case "DATA" -> {
                        send(out, "354 go on");
                        StringBuilder message = new StringBuilder();
                        String dataLine;
                        while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                            message.append(dataLine).append("\n");
                        }
                        messages.add(message.toString());
                        send(out, "250 2.0.0 queued");
                    }
                    case "QUIT" -> {
                        send(out, "221 2.0.0 bye");
                        socket.close();
                        return;
                    }
                    default -> send(out, "502 5.5.2 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away: the session ends
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** Takes any client certificate (the test looks at which one came); names the test PKI as acceptable issuers. */
    private record RecordingTrustManager(List<X509Certificate> issuers) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return issuers.toArray(X509Certificate[]::new);
        }
    }
}
