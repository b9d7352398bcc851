package fr.mssante.operator.server.search;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.apache.james.mime4j.util.CharsetUtil;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * The text IMAP {@code SEARCH BODY}/{@code TEXT} look into (RFC 3501 §6.4.4: a case-insensitive substring of the
 * header or body), decoded and case-folded once per message, so that a search is a plain substring test.
 *
 * <ul>
 *   <li>{@link #headers()}: each top-level header field as {@code name: value}, the value unfolded and its RFC 2047
 *       encoded words decoded;</li>
 *   <li>{@link #body()}: each {@code text/*} part at any depth (nested messages included), its transfer encoding
 *       (base64, quoted-printable) and charset decoded; other parts (PDF, images) are not text and are skipped.</li>
 * </ul>
 * Fields and parts are separated by {@link #SEPARATOR}, which {@link #fold} never produces: a term cannot match
 * across two fields or two parts. {@link #fold} maps each code point on its own (upper then lower case), so
 * {@code fold(text).contains(fold(term))} is exactly "text contains term, ignoring case, letter by letter".
 */
public record SearchableText(String headers, String body) {
    /** Between two fields or two parts; never in a folded term. */
    public static final char SEPARATOR = '\u0001';

    private static final MimeConfig CONFIG = MimeConfig.custom()
        .setMaxLineLen(-1).setMaxHeaderLen(-1).setMaxHeaderCount(-1).setMaxContentLen(-1).build();

    /**
     * Reads a stored message (its header block and its body). A message mime4j cannot read at all is searched as its
     * raw text (UTF-8), so that it is still found by the words it visibly contains.
     */
    public static SearchableText of(byte[] header, byte[] body) {
        try {
            return parse(new SequenceInputStream(new ByteArrayInputStream(header), new ByteArrayInputStream(body)));
        } catch (IOException | RuntimeException e) {
            return new SearchableText(fold(new String(header, StandardCharsets.UTF_8)),
                fold(new String(body, StandardCharsets.UTF_8)));
        }
    }

    private static SearchableText parse(InputStream message) throws IOException {
        StringBuilder headers = new StringBuilder();
        StringBuilder body = new StringBuilder();
        MimeTokenStream parser = new MimeTokenStream(CONFIG);
        parser.setRecursionMode(RecursionMode.M_RECURSE);
        parser.parse(message);
        boolean topLevelHeader = true;
        try {
            for (EntityState state = parser.getState(); state != EntityState.T_END_OF_STREAM; state = parser.next()) {
                switch (state) {
                    case T_FIELD -> {
                        if (topLevelHeader) {
                            Field field = parser.getField();
                            append(headers, field.getName() + ": " + decodeHeader(field.getBody()));
                        }
                    }
                    case T_END_HEADER -> topLevelHeader = false;
                    case T_BODY -> {
                        String mimeType = parser.getBodyDescriptor().getMimeType();
                        if (mimeType != null && mimeType.toLowerCase(Locale.ROOT).startsWith("text/")) {
                            byte[] decoded = parser.getDecodedInputStream().readAllBytes();
                            append(body, new String(decoded, charset(parser.getBodyDescriptor().getCharset())));
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (MimeException e) {
            throw new IOException("unreadable MIME structure", e);
        }
        return new SearchableText(headers.toString(), body.toString());
    }

    private static void append(StringBuilder into, String text) {
        if (!into.isEmpty()) {
            into.append(SEPARATOR);
        }
        into.append(fold(text));
    }

    private static String decodeHeader(String raw) {
        return DecoderUtil.decodeEncodedWords(MimeUtil.unfold(raw), DecodeMonitor.SILENT);
    }

    /** The part's charset; US-ASCII (the MIME default) is read as UTF-8, its superset, and unknown ones too. */
    private static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        Charset charset = CharsetUtil.lookup(name);
        if (charset == null || charset.equals(StandardCharsets.US_ASCII)) {
            return StandardCharsets.UTF_8;
        }
        return charset;
    }

    /**
     * Case folding, one code point at a time (so that substrings fold to substrings). Characters PostgreSQL text
     * cannot hold (NUL, unpaired surrogates) and the separator become U+FFFD.
     */
    public static String fold(String text) {
        StringBuilder folded = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == SEPARATOR || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
                folded.append('\uFFFD');
            } else {
                folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp)));
            }
        });
        return folded.toString();
    }
}
