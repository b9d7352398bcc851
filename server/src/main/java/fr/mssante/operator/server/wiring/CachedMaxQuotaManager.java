package fr.mssante.operator.server.wiring;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.core.quota.QuotaSizeLimit;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.jpa.quota.JPAPerUserMaxQuotaManager;
import org.apache.james.mailbox.model.Quota;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.mailbox.quota.MaxQuotaManager;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * James's JPA quota limits, with the limits that apply to a quota root remembered for {@link #TTL}.
 *
 * <p>Every append reads them (user, domain and global scopes, for the message count and the storage: 6 queries) and
 * the quota listener reads them again after it: 12 of the 45 statements per relayed message in the relay benchmark's
 * profile (docs/benchmarks.md), for limits an operator rarely sets. Every change of a limit goes through this object
 * (WebAdmin's quota routes, IMAP SETQUOTA, the username-change task), which forgets every remembered limit at once: a
 * change is seen at once on this node, and after at most {@link #TTL} on another node sharing the database. A read
 * that overlapped a change is not remembered; a failed read is thrown and not remembered ({@link RememberedAnswers},
 * as the users and recipient-rewrite caches).
 */
public final class CachedMaxQuotaManager implements MaxQuotaManager {
    static final Duration TTL = Duration.ofSeconds(30);

    private final MaxQuotaManager delegate;
    private final RememberedAnswers<QuotaRoot, Map<Quota.Scope, QuotaCountLimit>> messageLimits;
    private final RememberedAnswers<QuotaRoot, Map<Quota.Scope, QuotaSizeLimit>> storageLimits;

    @Inject
    public CachedMaxQuotaManager(JPAPerUserMaxQuotaManager delegate) {
        this(delegate, System::nanoTime);
    }

    CachedMaxQuotaManager(MaxQuotaManager delegate, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.messageLimits = new RememberedAnswers<>(TTL, nanoTime, limits -> true);
        this.storageLimits = new RememberedAnswers<>(TTL, nanoTime, limits -> true);
    }

    @Override
    public Map<Quota.Scope, QuotaCountLimit> listMaxMessagesDetails(QuotaRoot quotaRoot) {
        return messageLimits.get(quotaRoot, () -> delegate.listMaxMessagesDetails(quotaRoot));
    }

    @Override
    public Map<Quota.Scope, QuotaSizeLimit> listMaxStorageDetails(QuotaRoot quotaRoot) {
        return storageLimits.get(quotaRoot, () -> delegate.listMaxStorageDetails(quotaRoot));
    }

    @Override
    public Publisher<Map<Quota.Scope, QuotaCountLimit>> listMaxMessagesDetailsReactive(QuotaRoot quotaRoot) {
        return messageLimits.fresh(quotaRoot)
            .map(Mono::just)
            .orElseGet(() -> Mono.fromCallable(() -> listMaxMessagesDetails(quotaRoot)).subscribeOn(Schedulers.boundedElastic()));
    }

    @Override
    public Publisher<Map<Quota.Scope, QuotaSizeLimit>> listMaxStorageDetailsReactive(QuotaRoot quotaRoot) {
        return storageLimits.fresh(quotaRoot)
            .map(Mono::just)
            .orElseGet(() -> Mono.fromCallable(() -> listMaxStorageDetails(quotaRoot)).subscribeOn(Schedulers.boundedElastic()));
    }

    private void forgetAll() {
        messageLimits.forgetAll();
        storageLimits.forgetAll();
    }

    @FunctionalInterface
    private interface Change {
        void run() throws MailboxException;
    }

    private void change(Change change) throws MailboxException {
        try {
            change.run();
        } finally {
            forgetAll();
        }
    }

    private Publisher<Void> changeReactive(Publisher<Void> change) {
        return Mono.from(change).doFinally(signal -> forgetAll());
    }

    // --- changes: delegated, then every remembered limit forgotten

    @Override
    public void setMaxStorage(QuotaRoot quotaRoot, QuotaSizeLimit maxStorageQuota) throws MailboxException {
        change(() -> delegate.setMaxStorage(quotaRoot, maxStorageQuota));
    }

    @Override
    public Publisher<Void> setMaxStorageReactive(QuotaRoot quotaRoot, QuotaSizeLimit maxStorageQuota) {
        return changeReactive(delegate.setMaxStorageReactive(quotaRoot, maxStorageQuota));
    }

    @Override
    public void setMaxMessage(QuotaRoot quotaRoot, QuotaCountLimit maxMessageCount) throws MailboxException {
        change(() -> delegate.setMaxMessage(quotaRoot, maxMessageCount));
    }

    @Override
    public Publisher<Void> setMaxMessageReactive(QuotaRoot quotaRoot, QuotaCountLimit maxMessageCount) {
        return changeReactive(delegate.setMaxMessageReactive(quotaRoot, maxMessageCount));
    }

    @Override
    public void removeMaxMessage(QuotaRoot quotaRoot) throws MailboxException {
        change(() -> delegate.removeMaxMessage(quotaRoot));
    }

    @Override
    public Publisher<Void> removeMaxMessageReactive(QuotaRoot quotaRoot) {
        return changeReactive(delegate.removeMaxMessageReactive(quotaRoot));
    }

    @Override
    public void removeMaxStorage(QuotaRoot quotaRoot) throws MailboxException {
        change(() -> delegate.removeMaxStorage(quotaRoot));
    }

    @Override
    public Publisher<Void> removeMaxStorageReactive(QuotaRoot quotaRoot) {
        return changeReactive(delegate.removeMaxStorageReactive(quotaRoot));
    }

    @Override
    public void setGlobalMaxStorage(QuotaSizeLimit globalMaxStorage) throws MailboxException {
        change(() -> delegate.setGlobalMaxStorage(globalMaxStorage));
    }

    @Override
    public Publisher<Void> setGlobalMaxStorageReactive(QuotaSizeLimit globalMaxStorage) {
        return changeReactive(delegate.setGlobalMaxStorageReactive(globalMaxStorage));
    }

    @Override
    public void removeGlobalMaxStorage() throws MailboxException {
        change(delegate::removeGlobalMaxStorage);
    }

    @Override
    public Publisher<Void> removeGlobalMaxStorageReactive() {
        return changeReactive(delegate.removeGlobalMaxStorageReactive());
    }

    @Override
    public void setGlobalMaxMessage(QuotaCountLimit globalMaxMessageCount) throws MailboxException {
        change(() -> delegate.setGlobalMaxMessage(globalMaxMessageCount));
    }

    @Override
    public Publisher<Void> setGlobalMaxMessageReactive(QuotaCountLimit globalMaxMessageCount) {
        return changeReactive(delegate.setGlobalMaxMessageReactive(globalMaxMessageCount));
    }

    @Override
    public void removeGlobalMaxMessage() throws MailboxException {
        change(delegate::removeGlobalMaxMessage);
    }

    @Override
    public Publisher<Void> removeGlobalMaxMessageReactive() {
        return changeReactive(delegate.removeGlobalMaxMessageReactive());
    }

    @Override
    public void setDomainMaxMessage(Domain domain, QuotaCountLimit count) throws MailboxException {
        change(() -> delegate.setDomainMaxMessage(domain, count));
    }

    @Override
    public Publisher<Void> setDomainMaxMessageReactive(Domain domain, QuotaCountLimit count) {
        return changeReactive(delegate.setDomainMaxMessageReactive(domain, count));
    }

    @Override
    public void removeDomainMaxMessage(Domain domain) throws MailboxException {
        change(() -> delegate.removeDomainMaxMessage(domain));
    }

    @Override
    public Publisher<Void> removeDomainMaxMessageReactive(Domain domain) {
        return changeReactive(delegate.removeDomainMaxMessageReactive(domain));
    }

    @Override
    public void setDomainMaxStorage(Domain domain, QuotaSizeLimit size) throws MailboxException {
        change(() -> delegate.setDomainMaxStorage(domain, size));
    }

    @Override
    public Publisher<Void> setDomainMaxStorageReactive(Domain domain, QuotaSizeLimit size) {
        return changeReactive(delegate.setDomainMaxStorageReactive(domain, size));
    }

    @Override
    public void removeDomainMaxStorage(Domain domain) throws MailboxException {
        change(() -> delegate.removeDomainMaxStorage(domain));
    }

    @Override
    public Publisher<Void> removeDomainMaxStorageReactive(Domain domain) {
        return changeReactive(delegate.removeDomainMaxStorageReactive(domain));
    }

    // --- single-scope reads (WebAdmin, IMAP GETQUOTA details): asked of the database each time

    @Override
    public Optional<QuotaSizeLimit> getGlobalMaxStorage() throws MailboxException {
        return delegate.getGlobalMaxStorage();
    }

    @Override
    public Publisher<QuotaSizeLimit> getGlobalMaxStorageReactive() {
        return delegate.getGlobalMaxStorageReactive();
    }

    @Override
    public Optional<QuotaCountLimit> getGlobalMaxMessage() throws MailboxException {
        return delegate.getGlobalMaxMessage();
    }

    @Override
    public Publisher<QuotaCountLimit> getGlobalMaxMessageReactive() {
        return delegate.getGlobalMaxMessageReactive();
    }

    @Override
    public Optional<QuotaCountLimit> getDomainMaxMessage(Domain domain) {
        return delegate.getDomainMaxMessage(domain);
    }

    @Override
    public Publisher<QuotaCountLimit> getDomainMaxMessageReactive(Domain domain) {
        return delegate.getDomainMaxMessageReactive(domain);
    }

    @Override
    public Optional<QuotaSizeLimit> getDomainMaxStorage(Domain domain) {
        return delegate.getDomainMaxStorage(domain);
    }

    @Override
    public Publisher<QuotaSizeLimit> getDomainMaxStorageReactive(Domain domain) {
        return delegate.getDomainMaxStorageReactive(domain);
    }
}
