package fr.mssante.operator.trust.list;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import fr.mssante.operator.trust.dn.DistinguishedName;

/**
 * An immutable snapshot of the liste blanche. Lookups are hash-map lookups on normalised keys (O(1)).
 */
public final class TrustList {
    private static final TrustList EMPTY = new TrustList(List.of(), null, "", false, List.of());

    private final List<TrustListEntry> entries;
    private final Instant generatedAt;
    private final String sha256;
    private final boolean missingRootEndTag;
    private final List<String> skippedEntries;
    private final Set<DomainDn> pairs;
    private final Map<String, Set<DistinguishedName>> dnsByDomain;
    private final Map<DistinguishedName, Set<String>> domainsByDn;

    private TrustList(List<TrustListEntry> entries, Instant generatedAt, String sha256, boolean missingRootEndTag,
                      List<String> skippedEntries) {
        this.entries = List.copyOf(entries);
        this.skippedEntries = List.copyOf(skippedEntries);
        this.generatedAt = generatedAt;
        this.sha256 = sha256 == null ? "" : sha256;
        this.missingRootEndTag = missingRootEndTag;
        Set<DomainDn> p = new LinkedHashSet<>();
        Map<String, Set<DistinguishedName>> byDomain = new HashMap<>();
        Map<DistinguishedName, Set<String>> byDn = new HashMap<>();
        for (TrustListEntry e : this.entries) {
            p.add(e.pair());
            byDomain.computeIfAbsent(e.domain(), k -> new LinkedHashSet<>()).add(e.dn());
            byDn.computeIfAbsent(e.dn(), k -> new LinkedHashSet<>()).add(e.domain());
        }
        this.pairs = Collections.unmodifiableSet(p);
        byDomain.replaceAll((k, v) -> Collections.unmodifiableSet(v));
        byDn.replaceAll((k, v) -> Collections.unmodifiableSet(v));
        this.dnsByDomain = Collections.unmodifiableMap(byDomain);
        this.domainsByDn = Collections.unmodifiableMap(byDn);
    }

    /**
     * @param entries the entries, in document order (duplicates kept: they count as entries)
     * @param generatedAt {@code DateDeGeneration}, may be null
     * @param sha256 hex SHA-256 of the source bytes, may be empty
     * @param missingRootEndTag whether the source lacked its closing root tag (tolerated known defect)
     */
    public static TrustList of(List<TrustListEntry> entries, Instant generatedAt, String sha256,
                               boolean missingRootEndTag) {
        return new TrustList(entries, generatedAt, sha256, missingRootEndTag, List.of());
    }

    /** As {@link #of(List, Instant, String, boolean)}, with the reasons of entries skipped by the parser. */
    public static TrustList of(List<TrustListEntry> entries, Instant generatedAt, String sha256,
                               boolean missingRootEndTag, List<String> skippedEntries) {
        return new TrustList(entries, generatedAt, sha256, missingRootEndTag, skippedEntries);
    }

    /** Entries the parser skipped (no domain, unparseable DN...), one reason each. */
    public List<String> skippedEntries() {
        return skippedEntries;
    }

    public static TrustList empty() {
        return EMPTY;
    }

    /** Number of {@code Domaine} entries read (duplicates included). */
    public int entryCount() {
        return entries.size();
    }

    /** Number of distinct normalised (domain, DN) pairs. */
    public int pairCount() {
        return pairs.size();
    }

    public int domainCount() {
        return dnsByDomain.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether the pair (domain, certificate subject DN) is listed. */
    public boolean isListed(String domain, DistinguishedName dn) {
        Set<DistinguishedName> dns = dnsByDomain.get(Domains.normalize(domain));
        return dns != null && dn != null && dns.contains(dn);
    }

    public boolean containsDomain(String domain) {
        return dnsByDomain.containsKey(Domains.normalize(domain));
    }

    /** Whether this DN is listed for at least one domain (an operator of the trust space). */
    public boolean containsDn(DistinguishedName dn) {
        return dn != null && domainsByDn.containsKey(dn);
    }

    /** The DNs listed for a domain (empty when the domain is not listed). */
    public Set<DistinguishedName> dnsFor(String domain) {
        return dnsByDomain.getOrDefault(Domains.normalize(domain), Set.of());
    }

    /** The domains listed for a DN (empty when none). */
    public Set<String> domainsFor(DistinguishedName dn) {
        return dn == null ? Set.of() : domainsByDn.getOrDefault(dn, Set.of());
    }

    public List<TrustListEntry> entries() {
        return entries;
    }

    public Set<DomainDn> pairs() {
        return pairs;
    }

    public Optional<Instant> generatedAt() {
        return Optional.ofNullable(generatedAt);
    }

    /** Hex SHA-256 of the source document ("" when built in memory). */
    public String sha256() {
        return sha256;
    }

    public boolean missingRootEndTag() {
        return missingRootEndTag;
    }

    @Override
    public String toString() {
        return "TrustList[entries=" + entries.size() + ", domains=" + dnsByDomain.size() + ", sha256=" + sha256 + "]";
    }
}
