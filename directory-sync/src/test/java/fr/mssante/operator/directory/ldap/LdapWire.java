package fr.mssante.operator.directory.ldap;

import com.unboundid.asn1.ASN1StreamReader;
import com.unboundid.ldap.protocol.ExtendedRequestProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Raw LDAP bytes for hostile-client tests: hand-built BER (no recursive encoder), responses read until EOF. */
final class LdapWire {
    private LdapWire() {
    }

    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        out.writeBytes(length(value.length));
        out.writeBytes(value);
        return out.toByteArray();
    }

    static byte[] length(long length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
        byte[] encoded = new byte[bytes + 1];
        encoded[0] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            encoded[bytes - i] = (byte) (length >>> (8 * i));
        }
        return encoded;
    }

    /** {@code (!(!(...(objectClass=*))))} with {@code depth} NOTs, built from the inside without recursion. */
    static byte[] nestedNots(int depth) {
        byte[] inner = tlv(0x87, "objectClass".getBytes(StandardCharsets.US_ASCII));
        List<byte[]> headers = new ArrayList<>(depth);
        long size = inner.length;
        for (int i = 0; i < depth; i++) {
            byte[] len = length(size);
            byte[] header = new byte[len.length + 1];
            header[0] = (byte) 0xA2;
            System.arraycopy(len, 0, header, 1, len.length);
            headers.add(header);
            size += header.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
        for (int i = headers.size() - 1; i >= 0; i--) {
            out.writeBytes(headers.get(i));
        }
        out.writeBytes(inner);
        return out.toByteArray();
    }

    /** A whole-subtree search request message carrying {@code filter} (encoded). */
    static byte[] search(int messageId, String base, byte[] filter) {
        ByteArrayOutputStream op = new ByteArrayOutputStream();
        op.writeBytes(tlv(0x04, base.getBytes(StandardCharsets.UTF_8)));
        op.writeBytes(new byte[] {0x0A, 1, 2, 0x0A, 1, 0, 0x02, 1, 0, 0x02, 1, 0, 0x01, 1, 0});
        op.writeBytes(filter);
        op.writeBytes(new byte[] {0x30, 0});
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(new byte[] {0x02, 1, (byte) messageId});
        message.writeBytes(tlv(0x63, op.toByteArray()));
        return tlv(0x30, message.toByteArray());
    }

    static byte[] startTls(int messageId) {
        return new LDAPMessage(messageId, new ExtendedRequestProtocolOp("1.3.6.1.4.1.1466.20037", null)).encode().encode();
    }

    /**
     * Every message the server sends until it closes the connection (fails on a read time-out: a server that neither
     * answers nor closes is what these tests catch).
     */
    static List<LDAPMessage> readUntilClosed(Socket socket) throws Exception {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        ASN1StreamReader reader = new ASN1StreamReader(in);
        List<LDAPMessage> messages = new ArrayList<>();
        while (true) {
            LDAPMessage message;
            try {
                message = LDAPMessage.readFrom(reader, false);
            } catch (com.unboundid.ldap.sdk.LDAPException e) {
                if (e.getCause() instanceof SocketTimeoutException timeout) {
                    throw new AssertionError("no answer and no close within 10 s; got " + messages, timeout);
                }
                if (e.getCause() instanceof IOException) {
                    return messages;
                }
                throw e;
            }
            if (message == null) {
                return messages;
            }
            messages.add(message);
        }
    }
}
