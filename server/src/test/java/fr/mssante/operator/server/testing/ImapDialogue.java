package fr.mssante.operator.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** A line-based IMAP client over implicit TLS, for asserting tagged replies exactly. */
public final class ImapDialogue implements AutoCloseable {
    private final SSLSocket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private int tag;

    private ImapDialogue(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    public static ImapDialogue connectTls(int port, SSLContext tls) throws IOException {
        return connectTlsFrom(port, tls, "127.0.0.1");
    }

    /** From another loopback address (127.0.0.2...): the server sees another client address. */
    public static ImapDialogue connectTlsFrom(int port, SSLContext tls, String localAddress) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port,
            java.net.InetAddress.getByName(localAddress), 0);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        ImapDialogue dialogue = new ImapDialogue(socket);
        dialogue.in.readLine(); // greeting
        return dialogue;
    }

    /** Every later read fails ({@link java.net.SocketTimeoutException}) when the server says nothing for this long. */
    public ImapDialogue answeringWithin(java.time.Duration timeout) throws IOException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
        return this;
    }

    /** The tag of the last command sent. */
    public String lastTag() {
        return "t" + tag;
    }

    /** Sends a tagged command and returns every line up to and including the tagged reply. */
    public String command(String command) throws IOException {
        String prefix = "t" + (++tag);
        out.write((prefix + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        StringBuilder lines = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            lines.append(line).append('\n');
            if (line.startsWith(prefix + " ")) {
                return lines.toString();
            }
            if (line.startsWith("+")) {
                // continuation request (e.g. an RFC 7628 error challenge): answer with the empty/abort response
                out.write("\u0001\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        return lines.toString();
    }

    /** IDLE, then DONE once the server's continuation arrives; returns the tagged reply line. */
    public String idleAndDone() throws IOException {
        String prefix = "t" + (++tag);
        out.write((prefix + " IDLE\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith(prefix + " ")) {
                return line;
            }
            if (line.startsWith("+")) {
                out.write("DONE\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        return "";
    }

    /** The tagged reply line alone. */
    public String status(String command) throws IOException {
        String[] lines = command(command).split("\n");
        return lines[lines.length - 1];
    }

    /**
     * Sends {@code command {n}} and, when the server asks for it ({@code +}), the literal; returns every line up to and
     * including the tagged reply (which comes instead of {@code +} when the server refuses the literal unread).
     */
    public String commandWithLiteral(String command, byte[] literal) throws IOException {
        String prefix = "t" + (++tag);
        out.write((prefix + " " + command + " {" + literal.length + "}\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        StringBuilder lines = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            lines.append(line).append('\n');
            if (line.startsWith(prefix + " ")) {
                return lines.toString();
            }
            if (line.startsWith("+")) {
                out.write(literal);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        return lines.toString();
    }

    /** APPEND of a message (CRLF line ends) with these flags ("" for none); returns the tagged reply. */
    public String append(String mailbox, String flags, String message) throws IOException {
        String[] lines = commandWithLiteral("APPEND " + mailbox + (flags.isEmpty() ? "" : " (" + flags + ")"),
            message.getBytes(StandardCharsets.UTF_8)).split("\n");
        return lines[lines.length - 1];
    }

    /** Sends {@code command {size}} without the literal and returns the server's first line (a {@code +} or a reply). */
    public String announceLiteral(String command, long size) throws IOException {
        String prefix = "t" + (++tag);
        out.write((prefix + " " + command + " {" + size + "}\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return in.readLine();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
