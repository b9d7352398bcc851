package fr.mssante.operator.extensions.imap;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.imap.api.process.ImapSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;

/**
 * Audit rows ({@code mss.message_event}) for what IMAP refuses or changes in a message a client stores: mail name
 * {@code imap:<session id>}, the session's mailbox as sender and recipient, the target mailbox and the reason in the
 * detail. Never content. Written off the network threads.
 */
public class ImapAudit {
    /** An APPEND refused (TOOBIG). */
    public static final String APPEND_REFUSED = "IMAP_APPEND_REFUSED";
    /** An APPEND stored without the X-MSS-* fields it carried. */
    public static final String APPEND_HEADERS_REMOVED = "IMAP_APPEND_HEADERS_REMOVED";

    private static final Logger LOGGER = LoggerFactory.getLogger(ImapAudit.class);

    private final MessageEventLog log;

    @Inject
    public ImapAudit(MessageEventLog log) {
        this.log = log;
    }

    void record(ImapSession session, String event, String mailbox, long size, String detail) {
        String user = Optional.ofNullable(session.getUserName()).map(Username::asString).orElse("");
        MessageEvent row = new MessageEvent(event, "imap:" + session.sessionId().asString(), Optional.empty(),
            Optional.of(user).filter(name -> !name.isEmpty()), user.isEmpty() ? List.of() : List.of(user), Optional.empty(),
            size, Optional.of("mailbox " + mailbox + ": " + detail));
        Mono.fromRunnable(() -> {
            try {
                log.append(row);
            } catch (SQLException e) {
                LOGGER.warn("Could not audit {} for an IMAP session", event, e);
            }
        }).subscribeOn(Schedulers.boundedElastic()).subscribe();
    }
}
