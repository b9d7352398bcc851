package fr.mssante.operator.server.wiring;

import java.time.Duration;
import java.util.Iterator;
import java.util.function.LongSupplier;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.user.api.model.User;
import org.apache.james.user.jpa.JPAUsersRepository;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * James's JPA users, with "this user exists" remembered for {@link #TTL}. James asks it twice per recipient of every
 * message (the SMTP recipient check, then the {@code RecipientIsLocal} matcher), each a JPA {@code COUNT}: with the
 * recipient-rewrite lookups, 10 % of the server's CPU in the relay profile (docs/benchmarks.md). Only "exists" is
 * remembered: an unknown user is asked again each time, so a mailbox created on another node is never refused
 * meanwhile. Adding, changing or removing a user through this node forgets everything at once; a user removed on
 * another node may still be accepted for up to {@link #TTL} (its delivery then fails and is reported as for any
 * store failure).
 */
public final class CachedUsersRepository implements UsersRepository {
    static final Duration TTL = Duration.ofSeconds(30);

    private final UsersRepository delegate;
    private final RememberedAnswers<Username, Boolean> exists;

    @Inject
    public CachedUsersRepository(JPAUsersRepository delegate) {
        this(delegate, System::nanoTime);
    }

    CachedUsersRepository(UsersRepository delegate, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.exists = new RememberedAnswers<>(TTL, nanoTime, Boolean.TRUE::equals);
    }

    @Override
    public boolean contains(Username name) throws UsersRepositoryException {
        return exists.get(name, () -> delegate.contains(name));
    }

    @Override
    public Publisher<Boolean> containsReactive(Username name) {
        return exists.fresh(name).map(Mono::just).orElseGet(() -> Mono.defer(() -> {
            RememberedAnswers<Username, Boolean>.Reading reading = exists.startReading();
            return Mono.from(delegate.containsReactive(name)).doOnNext(value -> reading.keep(name, value));
        }));
    }

    @Override
    public void addUser(Username username, String password) throws UsersRepositoryException {
        change(() -> delegate.addUser(username, password));
    }

    @Override
    public void updateUser(User user) throws UsersRepositoryException {
        change(() -> delegate.updateUser(user));
    }

    @Override
    public void removeUser(Username name) throws UsersRepositoryException {
        change(() -> delegate.removeUser(name));
    }

    @FunctionalInterface
    private interface Change {
        void run() throws UsersRepositoryException;
    }

    /** A change of the users: delegated, then everything remembered forgotten (even when it failed half-way). */
    private void change(Change change) throws UsersRepositoryException {
        try {
            change.run();
        } finally {
            exists.forgetAll();
        }
    }

    @Override
    public User getUserByName(Username name) throws UsersRepositoryException {
        return delegate.getUserByName(name);
    }

    @Override
    public boolean test(Username name, String password) throws UsersRepositoryException {
        return delegate.test(name, password);
    }

    @Override
    public int countUsers() throws UsersRepositoryException {
        return delegate.countUsers();
    }

    @Override
    public Iterator<Username> list() throws UsersRepositoryException {
        return delegate.list();
    }

    @Override
    public Publisher<Username> listReactive() {
        return delegate.listReactive();
    }

    @Override
    public boolean supportVirtualHosting() throws UsersRepositoryException {
        return delegate.supportVirtualHosting();
    }

    @Override
    public Username getUsername(MailAddress mailAddress) throws UsersRepositoryException {
        return delegate.getUsername(mailAddress);
    }

    @Override
    public MailAddress getMailAddressFor(Username username) throws UsersRepositoryException {
        return delegate.getMailAddressFor(username);
    }

    @Override
    public boolean isAdministrator(Username username) throws UsersRepositoryException {
        return delegate.isAdministrator(username);
    }

    @Override
    public boolean isReadOnly() {
        return delegate.isReadOnly();
    }

    @Override
    public void assertValid(Username username) throws UsersRepositoryException {
        delegate.assertValid(username);
    }
}
