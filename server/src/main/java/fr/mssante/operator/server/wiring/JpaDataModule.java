package fr.mssante.operator.server.wiring;

import com.google.common.collect.ImmutableList;
import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.james.CoreDataModule;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.jpa.JPADomainList;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.mailrepository.api.MailRepositoryFactory;
import org.apache.james.mailrepository.api.MailRepositoryUrlStore;
import org.apache.james.mailrepository.api.Protocol;
import org.apache.james.mailrepository.jpa.JPAMailRepositoryUrlStore;
import org.apache.james.mailrepository.memory.MailRepositoryStoreConfiguration;
import org.apache.james.rrt.api.AliasReverseResolver;
import org.apache.james.rrt.api.CanSendFrom;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.jpa.JPARecipientRewriteTable;
import org.apache.james.rrt.lib.AliasReverseResolverImpl;
import org.apache.james.rrt.lib.CanSendFromImpl;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.sieve.jpa.JPASieveRepository;
import org.apache.james.sieverepository.api.SieveQuotaRepository;
import org.apache.james.sieverepository.api.SieveRepository;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.jpa.JPAUsersRepository;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;

import fr.mssante.operator.authentication.Authentication;

/**
 * James's server data on JPA: domains, users, recipient rewrites, sieve scripts and {@code jpa://} mail
 * repositories. Each repository is configured from its {@code conf/*.xml} file at start-up.
 */
public class JpaDataModule extends AbstractModule {
    @Override
    protected void configure() {
        install(new CoreDataModule());

        bind(JPADomainList.class).in(Scopes.SINGLETON);
        // "is this domain ours?" remembered, forgotten at each change (CachedDomainList)
        bind(CachedDomainList.class).in(Scopes.SINGLETON);
        bind(DomainList.class).to(CachedDomainList.class);

        bind(JPAUsersRepository.class).in(Scopes.SINGLETON);
        // "this user exists" remembered, forgotten at each change (CachedUsersRepository)
        bind(CachedUsersRepository.class).in(Scopes.SINGLETON);
        bind(UsersRepository.class).to(CachedUsersRepository.class);
        bind(Authentication.PasswordChecker.class).to(JpaPasswordChecker.class)
            .in(Scopes.SINGLETON);

        bind(JPARecipientRewriteTable.class).in(Scopes.SINGLETON);
        // each address's resolved rewrites remembered, forgotten at each change (CachedRecipientRewriteTable)
        bind(CachedRecipientRewriteTable.class).in(Scopes.SINGLETON);
        bind(RecipientRewriteTable.class).to(CachedRecipientRewriteTable.class);
        bind(AliasReverseResolverImpl.class).in(Scopes.SINGLETON);
        bind(AliasReverseResolver.class).to(AliasReverseResolverImpl.class);
        bind(CanSendFromImpl.class).in(Scopes.SINGLETON);
        bind(CanSendFrom.class).to(CanSendFromImpl.class);

        bind(JPASieveRepository.class).in(Scopes.SINGLETON);
        bind(SieveRepository.class).to(JPASieveRepository.class);
        bind(SieveQuotaRepository.class).to(JPASieveRepository.class);

        bind(JPAMailRepositoryUrlStore.class).in(Scopes.SINGLETON);
        bind(MailRepositoryUrlStore.class).to(JPAMailRepositoryUrlStore.class);
        bind(MailRepositoryStoreConfiguration.Item.class).toProvider(() -> new MailRepositoryStoreConfiguration.Item(
            ImmutableList.of(new Protocol("jpa")), BoundedErrorJpaMailRepository.class.getName(), new BaseHierarchicalConfiguration()));
        // James's JPA repository with the error message cut to its column, so that parking a mail never fails
        Multibinder.newSetBinder(binder(), MailRepositoryFactory.class).addBinding().to(BoundedErrorJpaMailRepository.Factory.class);
    }

    @ProvidesIntoSet
    InitializationOperation configureDomainList(DomainListConfiguration configuration, JPADomainList domainList) {
        return InitilizationOperationBuilder.forClass(JPADomainList.class).init(() -> domainList.configure(configuration));
    }

    @ProvidesIntoSet
    InitializationOperation configureUsers(ConfigurationProvider configurationProvider, JPAUsersRepository users) {
        return InitilizationOperationBuilder.forClass(JPAUsersRepository.class)
            .init(() -> users.configure(configurationProvider.getConfiguration("usersrepository")));
    }

    @ProvidesIntoSet
    InitializationOperation configureRecipientRewriteTable(ConfigurationProvider configurationProvider,
                                                          JPARecipientRewriteTable recipientRewriteTable) {
        return InitilizationOperationBuilder.forClass(JPARecipientRewriteTable.class)
            .init(() -> recipientRewriteTable.configure(configurationProvider.getConfiguration("recipientrewritetable")));
    }
}
