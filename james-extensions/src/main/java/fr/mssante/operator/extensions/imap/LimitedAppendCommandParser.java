package fr.mssante.operator.extensions.imap;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;

import javax.inject.Inject;
import javax.mail.Flags;

import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.decode.base.AbstractImapCommandParser;
import org.apache.james.imap.message.Literal;
import org.apache.james.imap.message.request.AppendRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IMAP APPEND as James parses it, except that the size announced by the literal ({@code {n}}) is checked against
 * {@link AppendLimit} before the server asks for the literal: an oversize synchronizing literal is answered
 * {@code NO [TOOBIG]} (RFC 7889) without the {@code + Ok} continuation, so not one byte of it is read or stored. A
 * non-synchronizing literal ({@code {n+}}, already on its way) is left to the transport's literal cap
 * ({@code literalSizeLimit}, the same value).
 */
public class LimitedAppendCommandParser extends AbstractImapCommandParser {
    private static final Logger LOGGER = LoggerFactory.getLogger(LimitedAppendCommandParser.class);

    private final Clock clock;
    private final AppendLimit limit;
    private final StatusResponseFactory responses;
    private final ImapAudit audit;

    @Inject
    public LimitedAppendCommandParser(StatusResponseFactory responses, Clock clock, AppendLimit limit, ImapAudit audit) {
        super(ImapConstants.APPEND_COMMAND, responses);
        this.clock = clock;
        this.limit = limit;
        this.responses = responses;
        this.audit = audit;
    }

    @Override
    protected ImapMessage decode(ImapRequestLineReader request, Tag tag, ImapSession session) throws DecodingException {
        String mailboxName = request.mailbox();
        Flags flags = request.nextWordChar() == '(' ? request.flagList() : new Flags();
        LocalDateTime datetime = request.nextWordChar() == '"' ? request.dateTime() : LocalDateTime.now(clock);
        request.nextWordChar();

        request.consumeChar('{');
        StringBuilder digits = new StringBuilder();
        char next = request.nextChar();
        while (next != '}' && next != '+') {
            digits.append(next);
            request.consume();
            next = request.nextChar();
        }
        boolean synchronizing = next == '}';
        int size = literalSize(digits);
        if (synchronizing && limit.exceededBy(size)) {
            // the rest of the line ("}" CRLF) is consumed by the frame decoder; the client never gets "+ Ok"
            LOGGER.debug("APPEND of {} bytes refused before its literal (limit {})", size, limit.bytes());
            audit.record(session, ImapAudit.APPEND_REFUSED, mailboxName, size,
                "TOOBIG: " + size + " bytes announced, limit " + limit.bytes().getAsLong() + " (literal not read)");
            return responses.taggedNo(tag, ImapConstants.APPEND_COMMAND, ImapResponses.TOO_BIG, ImapResponses.tooBig());
        }
        if (!synchronizing) {
            request.consumeChar('+');
        }
        request.consumeChar('}');
        request.eol();
        request.consume();
        if (synchronizing) {
            ImapResponses.continuationRequest(request);
        }
        try {
            Literal literal = request.read(size, true);
            return new AppendRequest(mailboxName, flags, Date.from(datetime.atZone(ZoneId.systemDefault()).toInstant()), literal, tag);
        } catch (IOException e) {
            if (e instanceof DecodingException decoding) {
                throw decoding;
            }
            throw new DecodingException(HumanReadableText.SOCKET_IO_FAILURE, "Error copying content", e);
        }
    }

    private static int literalSize(CharSequence digits) throws DecodingException {
        try {
            int size = Integer.parseInt(digits.toString());
            if (size < 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (NumberFormatException e) {
            throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Expected a valid positive number as literal size");
        }
    }
}
