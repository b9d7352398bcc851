package fr.mssante.operator.extensions.imap;

import java.util.Optional;
import java.util.OptionalLong;

import javax.inject.Singleton;

import org.apache.james.imap.api.ImapConfiguration;

/**
 * The largest message IMAP accepts in APPEND (and REPLACE), in bytes: James's {@code appendLimit}, which
 * {@code imapserver.xml} sets from {@code literalSizeLimit} = {@code ${sys:mss.message.maxSize}} (the one message-size
 * setting, {@code MSS_MAX_MESSAGE_SIZE}, that also sets SMTP's {@code maxmessagesize}). Filled when the IMAP servers
 * configure their processors ({@link AppendedMessageChecks#configure}), read by {@link LimitedAppendCommandParser}
 * before a literal is read. Advertised by James as {@code APPENDLIMIT=<n>} (RFC 7889).
 */
@Singleton
public class AppendLimit {
    private volatile OptionalLong bytes = OptionalLong.empty();

    void configure(ImapConfiguration configuration) {
        Optional<Long> limit = configuration.getAppendLimit();
        bytes = limit.isPresent() ? OptionalLong.of(limit.get()) : OptionalLong.empty();
    }

    public OptionalLong bytes() {
        return bytes;
    }

    /** Would a message of this many bytes be refused? */
    public boolean exceededBy(long size) {
        OptionalLong limit = bytes;
        return limit.isPresent() && size > limit.getAsLong();
    }
}
