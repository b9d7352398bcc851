package fr.mssante.operator.extensions.mime;

import java.io.IOException;
import java.io.InputStream;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * How deeply a MIME message nests multiparts and embedded messages, read as a stream (mime4j's token stream keeps
 * its own stack: no recursion here, whatever the input). A part directly in the message is at depth 1; a message of
 * 2,000 nested multiparts is at depth 2,000, and James's recursive structure building (IMAP BODYSTRUCTURE) overflows
 * the stack on it.
 */
public final class MimeNesting {
    private static final MimeConfig CONFIG = MimeConfig.custom()
        .setMaxLineLen(-1).setMaxHeaderLen(-1).setMaxHeaderCount(-1).setMaxContentLen(-1).setStrictParsing(false).build();

    private MimeNesting() {
    }

    /** The depth of the body {@code body} of type {@code contentType}, read until it exceeds {@code limit}. */
    public static int depth(InputStream body, String contentType, int limit) throws IOException {
        MimeTokenStream parser = new MimeTokenStream(CONFIG);
        parser.setRecursionMode(RecursionMode.M_RECURSE);
        parser.parseHeadless(body, contentType == null ? "text/plain" : contentType);
        return walk(parser, limit);
    }

    /** The depth of a whole message (headers and body). */
    public static int depth(InputStream message, int limit) throws IOException {
        MimeTokenStream parser = new MimeTokenStream(CONFIG);
        parser.setRecursionMode(RecursionMode.M_RECURSE);
        parser.parse(message);
        return walk(parser, limit);
    }

    private static int walk(MimeTokenStream parser, int limit) throws IOException {
        int depth = 0;
        int deepest = 0;
        boolean root = true;
        try {
            for (EntityState state = parser.getState(); state != EntityState.T_END_OF_STREAM; state = parser.next()) {
                switch (state) {
                    case T_START_MESSAGE -> {
                        if (root && depth == 0) {
                            root = false; // the message itself (parse), absent when parsing headless
                        } else {
                            depth++;
                        }
                    }
                    case T_START_MULTIPART -> {
                        root = false;
                        depth++;
                    }
                    case T_END_MULTIPART, T_END_MESSAGE -> depth = Math.max(0, depth - 1);
                    default -> {
                    }
                }
                deepest = Math.max(deepest, depth);
                if (deepest > limit) {
                    return deepest;
                }
            }
        } catch (MimeException e) {
            // permissive parsing: what could be read counts
        }
        return deepest;
    }
}
