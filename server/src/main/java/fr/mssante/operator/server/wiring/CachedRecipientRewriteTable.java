package fr.mssante.operator.server.wiring;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableConfiguration;
import org.apache.james.rrt.api.RecipientRewriteTableException;
import org.apache.james.rrt.jpa.JPARecipientRewriteTable;
import org.apache.james.rrt.lib.Mapping;
import org.apache.james.rrt.lib.MappingSource;
import org.apache.james.rrt.lib.Mappings;

/**
 * James's JPA recipient rewrites (aliases, forwards, groups…), with each address's resolved rewrites remembered for
 * {@link #TTL}. James resolves them twice per recipient of every message (the SMTP recipient check, then the
 * {@code RecipientRewriteTable} mailet), almost always to "none": with the user-existence checks, 10 % of the
 * server's CPU in the relay profile (docs/benchmarks.md). Every change of a rewrite goes through this object
 * (WebAdmin's address, alias, forward, group and domain-mapping routes), which forgets everything at once: a change is
 * honoured at once on this node, and within {@link #TTL} on another node sharing the database. A lookup that fails,
 * or that ends on an error mapping, is not remembered.
 */
public final class CachedRecipientRewriteTable implements RecipientRewriteTable {
    static final Duration TTL = Duration.ofSeconds(30);

    private record Question(String user, Domain domain, EnumSet<Mapping.Type> types) {
    }

    @FunctionalInterface
    private interface Change {
        void run() throws RecipientRewriteTableException;
    }

    private final RecipientRewriteTable delegate;
    private final RememberedAnswers<Question, Mappings> resolved;

    @Inject
    public CachedRecipientRewriteTable(JPARecipientRewriteTable delegate) {
        this(delegate, System::nanoTime);
    }

    CachedRecipientRewriteTable(RecipientRewriteTable delegate, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.resolved = new RememberedAnswers<>(TTL, nanoTime, mappings -> true);
    }

    @Override
    public Mappings getResolvedMappings(String user, Domain domain, EnumSet<Mapping.Type> mappingTypes)
        throws ErrorMappingException, RecipientRewriteTableException {
        Question question = new Question(user, domain, EnumSet.copyOf(mappingTypes));
        Optional<Mappings> fresh = resolved.fresh(question);
        if (fresh.isPresent()) {
            return fresh.get();
        }
        RememberedAnswers<Question, Mappings>.Reading reading = resolved.startReading();
        Mappings mappings = delegate.getResolvedMappings(user, domain, mappingTypes);
        reading.keep(question, mappings);
        return mappings;
    }

    private void change(Change change) throws RecipientRewriteTableException {
        try {
            change.run();
        } finally {
            resolved.forgetAll();
        }
    }

    @Override
    public void addMapping(MappingSource source, Mapping mapping) throws RecipientRewriteTableException {
        change(() -> delegate.addMapping(source, mapping));
    }

    @Override
    public void removeMapping(MappingSource source, Mapping mapping) throws RecipientRewriteTableException {
        change(() -> delegate.removeMapping(source, mapping));
    }

    @Override
    public void addRegexMapping(MappingSource source, String regex) throws RecipientRewriteTableException {
        change(() -> delegate.addRegexMapping(source, regex));
    }

    @Override
    public void removeRegexMapping(MappingSource source, String regex) throws RecipientRewriteTableException {
        change(() -> delegate.removeRegexMapping(source, regex));
    }

    @Override
    public void addAddressMapping(MappingSource source, String address) throws RecipientRewriteTableException {
        change(() -> delegate.addAddressMapping(source, address));
    }

    @Override
    public void removeAddressMapping(MappingSource source, String address) throws RecipientRewriteTableException {
        change(() -> delegate.removeAddressMapping(source, address));
    }

    @Override
    public void addErrorMapping(MappingSource source, String error) throws RecipientRewriteTableException {
        change(() -> delegate.addErrorMapping(source, error));
    }

    @Override
    public void removeErrorMapping(MappingSource source, String error) throws RecipientRewriteTableException {
        change(() -> delegate.removeErrorMapping(source, error));
    }

    @Override
    public void addDomainMapping(MappingSource source, Domain realDomain) throws RecipientRewriteTableException {
        change(() -> delegate.addDomainMapping(source, realDomain));
    }

    @Override
    public void removeDomainMapping(MappingSource source, Domain realDomain) throws RecipientRewriteTableException {
        change(() -> delegate.removeDomainMapping(source, realDomain));
    }

    @Override
    public void addDomainAliasMapping(MappingSource source, Domain realDomain) throws RecipientRewriteTableException {
        change(() -> delegate.addDomainAliasMapping(source, realDomain));
    }

    @Override
    public void removeDomainAliasMapping(MappingSource source, Domain realDomain) throws RecipientRewriteTableException {
        change(() -> delegate.removeDomainAliasMapping(source, realDomain));
    }

    @Override
    public void addForwardMapping(MappingSource source, String address) throws RecipientRewriteTableException {
        change(() -> delegate.addForwardMapping(source, address));
    }

    @Override
    public void removeForwardMapping(MappingSource source, String address) throws RecipientRewriteTableException {
        change(() -> delegate.removeForwardMapping(source, address));
    }

    @Override
    public void addGroupMapping(MappingSource source, String address) throws RecipientRewriteTableException {
        change(() -> delegate.addGroupMapping(source, address));
    }

    @Override
    public void removeGroupMapping(MappingSource source, String address) throws RecipientRewriteTableException {
        change(() -> delegate.removeGroupMapping(source, address));
    }

    @Override
    public void addAliasMapping(MappingSource source, String address) throws RecipientRewriteTableException {
        change(() -> delegate.addAliasMapping(source, address));
    }

    @Override
    public void removeAliasMapping(MappingSource source, String address) throws RecipientRewriteTableException {
        change(() -> delegate.removeAliasMapping(source, address));
    }

    @Override
    public Mappings getStoredMappings(MappingSource source) throws RecipientRewriteTableException {
        return delegate.getStoredMappings(source);
    }

    @Override
    public Map<MappingSource, Mappings> getAllMappings() throws RecipientRewriteTableException {
        return delegate.getAllMappings();
    }

    @Override
    public RecipientRewriteTableConfiguration getConfiguration() {
        return delegate.getConfiguration();
    }

    @Override
    public Stream<MappingSource> listSources(Mapping mapping) throws RecipientRewriteTableException {
        return delegate.listSources(mapping);
    }

    @Override
    public Stream<MappingSource> getSourcesForType(Mapping.Type type) throws RecipientRewriteTableException {
        return delegate.getSourcesForType(type);
    }

    @Override
    public Stream<Mapping> getMappingsForType(Mapping.Type type) throws RecipientRewriteTableException {
        return delegate.getMappingsForType(type);
    }
}
