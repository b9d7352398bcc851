package fr.mssante.operator.directory.ldap;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

import com.unboundid.ldap.protocol.ExtendedResponseProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.SearchResultDoneProtocolOp;
import com.unboundid.ldap.sdk.ResultCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a client's byte stream one LDAP message at a time and passes a message on only when it fits the
 * {@link LdapLimits}: at most {@code maxMessageBytes}, BER nesting at most {@code maxNestingDepth} levels, definite
 * lengths only. The depth is measured iteratively over the bytes, before UnboundID's recursive decoder sees them (a
 * filter of 10,000 nested NOTs overflowed its stack: the connection thread died and the socket stayed in CLOSE-WAIT).
 * On a violation the client gets a clear LDAP answer (the search's {@code searchResDone} with
 * {@code unwillingToPerform}, then a notice of disconnection with {@code protocolError}), the connection is closed,
 * and the reader sees the end of the stream. Never reads beyond the current message (StartTLS layers TLS right
 * after one).
 */
final class LdapMessageGuard extends InputStream {
    private static final Logger LOG = LoggerFactory.getLogger(LdapMessageGuard.class);
    static final String NOTICE_OF_DISCONNECTION = "1.3.6.1.4.1.1466.20036";
    private static final int SEARCH_REQUEST = 0x63;

    /** Where a refusal is written; the connection is closed afterwards. */
    interface Refusal {
        void send(byte[] answer) throws IOException;
    }

    private final InputStream in;
    private final LdapLimits limits;
    private final Refusal refusal;
    private byte[] current = new byte[0];
    private int position;
    private boolean closed;

    LdapMessageGuard(InputStream in, LdapLimits limits, Refusal refusal) {
        this.in = in;
        this.limits = limits;
        this.refusal = refusal;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current[position++] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return current.length - position;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Makes the next message available; false at the end of the stream or after a refusal. */
    private boolean fill() throws IOException {
        if (position < current.length) {
            return true;
        }
        if (closed) {
            return false;
        }
        int tag = in.read();
        if (tag < 0) {
            closed = true;
            return false;
        }
        ByteArrayOutputStream header = new ByteArrayOutputStream(8);
        header.write(tag);
        if (tag != 0x30) {
            return refuse(-1, -1, "not an LDAP message (tag 0x" + Integer.toHexString(tag) + ")", false);
        }
        int first = readByte();
        header.write(first);
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 4) {
                return refuse(-1, -1, "LDAP message without a definite length", false);
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                int b = readByte();
                header.write(b);
                length = (length << 8) | b;
            }
        }
        if (length > limits.maxMessageBytes()) {
            return refuse(-1, -1, "LDAP message of " + length + " bytes exceeds the limit of "
                + limits.maxMessageBytes() + " bytes", false);
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            closed = true;
            return false;
        }
        String problem = nestingProblem(body);
        if (problem != null) {
            return refuse(messageId(body), operation(body), problem, true);
        }
        byte[] head = header.toByteArray();
        current = new byte[head.length + body.length];
        System.arraycopy(head, 0, current, 0, head.length);
        System.arraycopy(body, 0, current, head.length, body.length);
        position = 0;
        return true;
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("end of stream inside an LDAP message header");
        }
        return b;
    }

    /** Null when the elements nest within the limit (the message itself is level 1), else the reason. */
    private String nestingProblem(byte[] body) {
        int max = limits.maxNestingDepth();
        int[] ends = new int[max + 1];
        int depth = 1;
        ends[0] = body.length;
        int pos = 0;
        while (pos < body.length) {
            while (depth > 1 && pos >= ends[depth - 1]) {
                depth--;
            }
            int tag = body[pos++] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                while (pos < body.length && (body[pos] & 0x80) != 0) {
                    pos++;
                }
                pos++;
            }
            if (pos >= body.length) {
                return "malformed LDAP message";
            }
            int first = body[pos++] & 0xff;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7f;
                if (count == 0 || count > 4 || pos + count > body.length) {
                    return "malformed LDAP message (indefinite or oversized length)";
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (body[pos++] & 0xff);
                }
            }
            long end = pos + length;
            if (end > ends[depth - 1]) {
                return "malformed LDAP message (element longer than its container)";
            }
            if ((tag & 0x20) != 0) {
                if (depth + 1 > max) {
                    return "request nested deeper than " + max + " levels (search filter too complex)";
                }
                ends[depth++] = (int) end;
            } else {
                pos = (int) end;
            }
        }
        return null;
    }

    /** The messageID (first element, an INTEGER), -1 when unreadable. */
    private static int messageId(byte[] body) {
        if (body.length < 3 || body[0] != 0x02 || body[1] < 1 || body[1] > 4 || body.length < 2 + body[1]) {
            return -1;
        }
        int id = 0;
        for (int i = 0; i < body[1]; i++) {
            id = (id << 8) | (body[2 + i] & 0xff);
        }
        return id;
    }

    /** The protocol operation's tag (second element), -1 when unreadable. */
    private static int operation(byte[] body) {
        if (body.length < 3 || body[0] != 0x02 || body[1] < 0 || body[1] > 4 || body.length <= 2 + body[1]) {
            return -1;
        }
        return body[2 + body[1]] & 0xff;
    }

    private boolean refuse(int messageId, int operation, String reason, boolean unwilling) throws IOException {
        closed = true;
        current = new byte[0];
        position = 0;
        LOG.info("LDAP request refused, connection closed: {}", reason);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        if (unwilling && messageId > 0 && operation == SEARCH_REQUEST) {
            answer.writeBytes(new LDAPMessage(messageId, new SearchResultDoneProtocolOp(
                ResultCode.UNWILLING_TO_PERFORM_INT_VALUE, null, reason, null)).encode().encode());
        }
        answer.writeBytes(new LDAPMessage(0, new ExtendedResponseProtocolOp(ResultCode.PROTOCOL_ERROR_INT_VALUE, null,
            reason, null, NOTICE_OF_DISCONNECTION, null)).encode().encode());
        try {
            refusal.send(answer.toByteArray());
        } catch (IOException e) {
            LOG.debug("could not send the refusal: {}", e.getMessage());
        }
        return false;
    }
}
