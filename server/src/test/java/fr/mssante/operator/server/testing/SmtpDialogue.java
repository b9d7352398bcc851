package fr.mssante.operator.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A line-by-line SMTP client for asserting exact replies (RFC 5321 multi-line replies are joined with newlines).
 */
public final class SmtpDialogue implements AutoCloseable {
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    private SmtpDialogue(Socket socket) throws IOException {
        attach(socket);
    }

    public static SmtpDialogue connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        return new SmtpDialogue(socket);
    }

    public static SmtpDialogue connectTls(int port, SSLContext tls) throws IOException {
        return connectTlsFrom(port, tls, "127.0.0.1");
    }

    /** From another loopback address (127.0.0.2...): the server sees another client address. */
    public static SmtpDialogue connectTlsFrom(int port, SSLContext tls, String localAddress) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port,
            java.net.InetAddress.getByName(localAddress), 0);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        return new SmtpDialogue(socket);
    }

    private void attach(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        this.out = socket.getOutputStream();
    }

    public String reply() throws IOException {
        StringBuilder reply = new StringBuilder();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("Connection closed; so far: " + reply);
            }
            reply.append(reply.length() == 0 ? "" : "\n").append(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return reply.toString();
    }

    public String command(String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return reply();
    }

    public void raw(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** STARTTLS and upgrade the socket; returns the server's reply to STARTTLS. */
    public String startTls(SSLContext tls) throws IOException {
        String reply = command("STARTTLS");
        if (reply.startsWith("220")) {
            SSLSocket upgraded = (SSLSocket) tls.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
            upgraded.setUseClientMode(true);
            upgraded.startHandshake();
            attach(upgraded);
        }
        return reply;
    }

    public String authPlain(String user, String password) throws IOException {
        String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return command("AUTH PLAIN " + token);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
