package fr.mssante.operator.trust.dn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * Lenient RFC 4514 / RFC 2253 parser. Accepts what published DNs really contain: {@code ", "} or {@code ";"}
 * separators, spaces around {@code =}, whole-value quoting (RFC 1779), unescaped quotes inside a value, hex pairs
 * ({@code \C3\A9}) and {@code #}-encoded BER values.
 */
final class DnParser {
    private final String s;
    private int pos;

    private DnParser(String s) {
        this.s = s;
    }

    static List<Rdn> parse(String dn) {
        if (dn == null) {
            throw new DnParseException("null DN");
        }
        return new DnParser(dn).parseAll();
    }

    private List<Rdn> parseAll() {
        List<Rdn> rdns = new ArrayList<>();
        skipSpaces();
        if (pos == s.length()) {
            return rdns;
        }
        List<Ava> avas = new ArrayList<>();
        while (true) {
            avas.add(parseAva());
            skipSpaces();
            if (pos == s.length()) {
                rdns.add(new Rdn(avas));
                return rdns;
            }
            char sep = s.charAt(pos++);
            if (sep == '+') {
                continue;
            }
            if (sep == ',' || sep == ';') {
                rdns.add(new Rdn(avas));
                avas = new ArrayList<>();
                skipSpaces();
                if (pos == s.length()) {
                    throw error("trailing separator");
                }
                continue;
            }
            throw error("unexpected character '" + sep + "'");
        }
    }

    private Ava parseAva() {
        skipSpaces();
        int start = pos;
        while (pos < s.length() && s.charAt(pos) != '=' && ",;+".indexOf(s.charAt(pos)) < 0) {
            pos++;
        }
        if (pos == s.length() || s.charAt(pos) != '=') {
            throw error("missing '=' after attribute type");
        }
        String type = s.substring(start, pos).trim();
        if (type.isEmpty()) {
            throw error("empty attribute type");
        }
        pos++;
        skipSpaces();
        String canonicalType = AttributeTypes.canonical(type);
        String value;
        if (pos < s.length() && s.charAt(pos) == '#') {
            value = parseHexValue();
        } else if (pos < s.length() && s.charAt(pos) == '"' && closingQuoteEndsValue()) {
            value = parseQuotedValue();
        } else {
            value = parseStringValue();
        }
        return new Ava(canonicalType, value, Ava.normalize(value));
    }

    /** A leading quote quotes the whole value only when its closing quote is followed by a separator or the end. */
    private boolean closingQuoteEndsValue() {
        int i = pos + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '"') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) == ' ') {
                    j++;
                }
                return j == s.length() || ",;+".indexOf(s.charAt(j)) >= 0;
            }
            i++;
        }
        throw error("unterminated quoted value");
    }

    private String parseQuotedValue() {
        pos++; // opening quote
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return decode(out, out.size());
            }
            if (c == '\\') {
                readEscape(out);
            } else {
                appendChar(out);
            }
        }
        throw error("unterminated quoted value");
    }

    private String parseStringValue() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int keep = 0;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ',' || c == ';' || c == '+') {
                break;
            }
            if (c == '\\') {
                readEscape(out);
                keep = out.size();
            } else {
                boolean space = c == ' ';
                appendChar(out);
                if (!space) {
                    keep = out.size();
                }
            }
        }
        return decode(out, keep);
    }

    private String parseHexValue() {
        int start = ++pos;
        while (pos < s.length() && Character.digit(s.charAt(pos), 16) >= 0) {
            pos++;
        }
        String hex = s.substring(start, pos);
        if (hex.isEmpty() || hex.length() % 2 != 0) {
            throw error("invalid #hex value");
        }
        byte[] der = HexFormat.of().parseHex(hex);
        try {
            ASN1Primitive p = ASN1Primitive.fromByteArray(der);
            if (p instanceof ASN1String str) {
                return str.getString();
            }
        } catch (IOException | RuntimeException e) {
            // not a DER string: keep the hex form
        }
        return "#" + hex.toLowerCase(Locale.ROOT);
    }

    private void readEscape(ByteArrayOutputStream out) {
        if (pos + 1 >= s.length()) {
            throw error("dangling backslash");
        }
        char next = s.charAt(pos + 1);
        if (pos + 2 < s.length() && Character.digit(next, 16) >= 0 && Character.digit(s.charAt(pos + 2), 16) >= 0) {
            out.write(Integer.parseInt(s.substring(pos + 1, pos + 3), 16));
            pos += 3;
            return;
        }
        pos++;
        appendChar(out);
    }

    private void appendChar(ByteArrayOutputStream out) {
        int cp = s.codePointAt(pos);
        pos += Character.charCount(cp);
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
    }

    private String decode(ByteArrayOutputStream out, int length) {
        byte[] bytes = out.toByteArray();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw error("escaped bytes are not UTF-8");
        }
    }

    private void skipSpaces() {
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\u00a0' || s.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private DnParseException error(String what) {
        return new DnParseException(what + " at offset " + pos);
    }
}
