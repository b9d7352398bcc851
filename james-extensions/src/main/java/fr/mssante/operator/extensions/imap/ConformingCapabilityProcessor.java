package fr.mssante.operator.extensions.imap;

import javax.inject.Inject;

import com.google.common.collect.ImmutableSet;
import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.processor.CapabilityProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

/**
 * CAPABILITY offering CONDSTORE (RFC 7162). James 3.8.1 implements CONDSTORE (ENABLE CONDSTORE, FETCH CHANGEDSINCE,
 * STORE UNCHANGEDSINCE, MODSEQ; QRESYNC, which it advertises, is built on it) but only advertises it when
 * {@code ImapConfiguration.isCondstoreEnable()}, which {@code IMAPServer} never sets from {@code imapserver.xml}: the
 * capability was always hidden. Here it is offered unless {@code <disabledCaps>} names it.
 */
public class ConformingCapabilityProcessor extends CapabilityProcessor {
    @Inject
    public ConformingCapabilityProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    public void configure(ImapConfiguration configuration) {
        super.configure(withCondstore(configuration));
    }

    static ImapConfiguration withCondstore(ImapConfiguration configuration) {
        ImmutableSet<Capability> disabled = configuration.getDisabledCaps();
        ImapConfiguration.Builder builder = ImapConfiguration.builder()
            .enableIdle(configuration.isEnableIdle())
            .idleTimeInterval(configuration.getIdleTimeInterval())
            .idleTimeIntervalUnit(configuration.getIdleTimeIntervalUnit())
            .concurrentRequests(configuration.getConcurrentRequests())
            .maxQueueSize(configuration.getMaxQueueSize())
            .disabledCaps(disabled.stream().map(Capability::asString).collect(ImmutableSet.toImmutableSet()))
            .isCondstoreEnable(!disabled.contains(ImapConstants.SUPPORTS_CONDSTORE))
            .isProvisionDefaultMailboxes(configuration.isProvisionDefaultMailboxes())
            .withCustomProperties(configuration.getCustomProperties());
        configuration.getAppendLimit().ifPresent(limit -> builder.appendLimit(limit.longValue()));
        return builder.build();
    }
}
