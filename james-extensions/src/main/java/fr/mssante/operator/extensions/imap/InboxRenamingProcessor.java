package fr.mssante.operator.extensions.imap;

import java.util.List;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.main.PathConverter;
import org.apache.james.imap.message.request.RenameRequest;
import org.apache.james.imap.processor.RenameProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxExistsException;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.metrics.api.MetricFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * RENAME of INBOX as RFC 3501 §6.3.5 defines it: "all messages in INBOX [are moved] to a new mailbox with the given
 * name, leaving INBOX empty. If the server implementation supports inferior hierarchical names of INBOX, these are
 * unaffected by a rename of INBOX." James 3.8.1 renames the INBOX mailbox itself and drags its sub-folders along
 * (fixed upstream by JAMES-4096 after 3.8.1). Other renames are James's.
 */
public class InboxRenamingProcessor extends RenameProcessor {
    private static final Logger LOGGER = LoggerFactory.getLogger(InboxRenamingProcessor.class);

    @Inject
    public InboxRenamingProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(RenameRequest request, ImapSession session, Responder responder) {
        if (!InboxKeepingDeleteProcessor.isInbox(session, request.getExistingName())) {
            return super.processRequestReactive(request, session, responder);
        }
        PathConverter paths = PathConverter.forSession(session);
        MailboxPath inbox = paths.buildFullPath(request.getExistingName());
        MailboxPath target = paths.buildFullPath(request.getNewName());
        MailboxSession mailboxSession = session.getMailboxSession();
        MailboxManager mailboxes = getMailboxManager();
        return Mono.fromCallable(() -> {
            if (Boolean.TRUE.equals(Mono.from(mailboxes.mailboxExists(target, mailboxSession)).block())) {
                throw new MailboxExistsException(target.asString());
            }
            // INBOX itself (its messages, UIDs and UIDVALIDITY) becomes the new mailbox, as upstream does; James takes
            // its sub-folders along: they are put back under a new, empty INBOX
            char delimiter = mailboxSession.getPathDelimiter();
            List<MailboxManager.MailboxRenamedResult> renamed = mailboxes.renameMailbox(inbox, target, mailboxSession);
            mailboxes.createMailbox(inbox, MailboxManager.CreateOption.CREATE_SUBSCRIPTION, mailboxSession);
            for (MailboxManager.MailboxRenamedResult child : renamed) {
                if (child.getOriginPath().getParents(delimiter).size() == 1) {
                    mailboxes.renameMailbox(child.getDestinationPath(), child.getOriginPath(), mailboxSession);
                }
            }
            return true;
        }).subscribeOn(Schedulers.boundedElastic())
            .flatMap(done -> unsolicitedResponses(session, responder, false)
                .then(Mono.fromRunnable(() -> okComplete(request, responder))))
            .onErrorResume(MailboxExistsException.class, e -> {
                no(request, responder, HumanReadableText.MAILBOX_EXISTS);
                return Mono.empty();
            })
            .onErrorResume(MailboxException.class, e -> {
                LOGGER.error("RENAME of INBOX to {} failed", target, e);
                no(request, responder, HumanReadableText.GENERIC_FAILURE_DURING_PROCESSING);
                return Mono.empty();
            })
            .then();
    }
}
