package fr.mssante.operator.extensions.imap;

import java.util.Locale;
import java.util.Map;

import javax.inject.Inject;

import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.MailboxType;
import org.apache.james.imap.api.process.MailboxTyper;
import org.apache.james.imap.processor.XListProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.SubscriptionManager;
import org.apache.james.metrics.api.MetricFactory;

/**
 * XLIST (Gmail's predecessor of RFC 6154 SPECIAL-USE, still sent by older clients) with the types of the default
 * folders every mailbox is provisioned with (INBOX, Drafts, Sent, Spam, Trash, by name). James 3.8.1 wires its
 * XListProcessor without a mailbox typer: XLIST was not advertised, yet a client sending it got a
 * NullPointerException and {@code NO XLIST processing failed}.
 */
public class DefaultFoldersXListProcessor extends XListProcessor {
    private static final Map<String, MailboxType> TYPES = Map.of("inbox", MailboxType.INBOX, "drafts", MailboxType.DRAFTS,
        "sent", MailboxType.SENT, "spam", MailboxType.SPAM, "trash", MailboxType.TRASH);

    static final MailboxTyper BY_NAME = (session, path) -> TYPES.getOrDefault(path.getName().toLowerCase(Locale.ROOT),
        MailboxType.OTHER);

    @Inject
    public DefaultFoldersXListProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory,
                                        SubscriptionManager subscriptionManager) {
        super(mailboxManager, factory, BY_NAME, metricFactory, subscriptionManager);
    }
}
