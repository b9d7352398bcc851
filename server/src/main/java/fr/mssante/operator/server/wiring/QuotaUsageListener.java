package fr.mssante.operator.server.wiring;

import java.time.Clock;

import javax.inject.Inject;

import com.google.common.collect.ImmutableSet;
import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaCountUsage;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.core.quota.QuotaSizeUsage;
import org.apache.james.events.Event;
import org.apache.james.events.EventBus;
import org.apache.james.events.EventListener;
import org.apache.james.events.Group;
import org.apache.james.mailbox.events.MailboxEvents.Added;
import org.apache.james.mailbox.events.MailboxEvents.Expunged;
import org.apache.james.mailbox.events.MailboxEvents.MailboxDeletion;
import org.apache.james.mailbox.events.MailboxEvents.MetaDataHoldingEvent;
import org.apache.james.mailbox.model.CurrentQuotas;
import org.apache.james.mailbox.model.Quota;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.apache.james.mailbox.quota.QuotaRootResolver;
import org.apache.james.mailbox.store.event.EventFactory;
import org.apache.james.mailbox.store.quota.QuotaUpdater;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Keeps each quota root's usage current as messages are added, expunged and mailboxes deleted (in place of James's
 * {@code ListeningCurrentQuotaUpdater}), and announces the new usage ({@code QuotaUsageUpdatedEvent}) as James does.
 *
 * <p>The change is one atomic statement ({@link AtomicCurrentQuotaManager#add}) that returns the usage after it, and
 * the limits come from the remembered ones ({@link CachedMaxQuotaManager}): the announcement needs no read of its own,
 * where James's listener read the usage twice more per delivered message.
 */
public class QuotaUsageListener implements EventListener.ReactiveGroupEventListener, QuotaUpdater {
    public static class QuotaUsageListenerGroup extends Group {
    }

    static final Group GROUP = new QuotaUsageListenerGroup();

    private final AtomicCurrentQuotaManager usage;
    private final MaxQuotaManager limits;
    private final QuotaRootResolver quotaRoots;
    private final EventBus eventBus;
    private final Clock clock;

    @Inject
    public QuotaUsageListener(AtomicCurrentQuotaManager usage, MaxQuotaManager limits, QuotaRootResolver quotaRoots,
                              EventBus eventBus, Clock clock) {
        this.usage = usage;
        this.limits = limits;
        this.quotaRoots = quotaRoots;
        this.eventBus = eventBus;
        this.clock = clock;
    }

    @Override
    public Group getDefaultGroup() {
        return GROUP;
    }

    @Override
    public boolean isHandling(Event event) {
        return event instanceof Added || event instanceof Expunged || event instanceof MailboxDeletion;
    }

    @Override
    public Publisher<Void> reactiveEvent(Event event) {
        if (event instanceof Added added) {
            return Mono.from(quotaRoots.getQuotaRootReactive(added.getMailboxPath()))
                .flatMap(root -> change(root, added, 1));
        }
        if (event instanceof Expunged expunged) {
            return Mono.from(quotaRoots.getQuotaRootReactive(expunged.getMailboxPath()))
                .flatMap(root -> change(root, expunged, -1));
        }
        if (event instanceof MailboxDeletion deletion && deletion.getDeletedMessageCount().asLong() > 0) {
            // as James: the usage shrinks, no announcement
            return usage.add(deletion.getQuotaRoot(), -deletion.getDeletedMessageCount().asLong(),
                -deletion.getTotalDeletedSize().asLong()).then();
        }
        return Mono.empty();
    }

    private Mono<Void> change(QuotaRoot root, MetaDataHoldingEvent event, int sign) {
        long count = event.getUids().size();
        long bytes = event.getUids().stream().mapToLong(uid -> event.getMetaData(uid).getSize()).sum();
        if (count == 0 || bytes == 0) {
            return Mono.empty();
        }
        return usage.add(root, sign * count, sign * bytes)
            .flatMap(after -> announce(root, event.getUsername(), after.sanitize()));
    }

    private Mono<Void> announce(QuotaRoot root, Username username, CurrentQuotas.Sanitized after) {
        return Mono.from(limits.quotaDetailsReactive(root))
            .flatMap(details -> eventBus.dispatch(EventFactory.quotaUpdated()
                    .randomEventId()
                    .user(username)
                    .quotaRoot(root)
                    .quotaCount(Quota.<QuotaCountLimit, QuotaCountUsage>builder()
                        .used(after.count())
                        .computedLimit(limits.getMaxMessage(details.getMaxMessageDetails()).orElse(QuotaCountLimit.unlimited()))
                        .limitsByScope(details.getMaxMessageDetails())
                        .build())
                    .quotaSize(Quota.<QuotaSizeLimit, QuotaSizeUsage>builder()
                        .used(after.size())
                        .computedLimit(limits.getMaxStorage(details.getMaxStorageDetails()).orElse(QuotaSizeLimit.unlimited()))
                        .limitsByScope(details.getMaxStorageDetails())
                        .build())
                    .instant(clock.instant())
                    .build(),
                ImmutableSet.of()));
    }
}
