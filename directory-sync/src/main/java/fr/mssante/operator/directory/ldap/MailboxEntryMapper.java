package fr.mssante.operator.directory.ldap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.RDN;

import fr.mssante.operator.directory.lookup.MailboxEntry;

/** A mailbox as an inetOrgPerson-style entry: {@code mail=<address>,<base>}. */
final class MailboxEntryMapper {

    private MailboxEntryMapper() {
    }

    static DN dnOf(String address, DN base) {
        return new DN(new RDN("mail", address), base);
    }

    static Entry toEntry(MailboxEntry m, DN base, List<String> requested) {
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(new Attribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson",
            "mssMailbox"));
        add(attributes, "mail", m.address());
        add(attributes, "cn", m.displayName());
        add(attributes, "displayName", m.displayName());
        add(attributes, "sn", m.lastName() != null ? m.lastName() : m.organisation() != null ? m.organisation() : m.address());
        add(attributes, "givenName", m.firstName());
        add(attributes, "title", m.profession());
        add(attributes, "businessCategory", m.specialty());
        add(attributes, "o", m.organisation());
        add(attributes, "ou", m.service());
        add(attributes, "l", m.city());
        add(attributes, "postalCode", m.postalCode());
        add(attributes, "mssNationalId", m.nationalId());
        add(attributes, "mssMailboxKind", m.kind());
        return new Entry(dnOf(m.address(), base), select(attributes, requested));
    }

    /** Keeps the requested attributes; none, "*" or "+" mean all user attributes, "1.1" none. */
    static List<Attribute> select(List<Attribute> all, List<String> requested) {
        if (requested == null || requested.isEmpty() || requested.contains("*")) {
            return all;
        }
        Set<String> names = requested.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return all.stream().filter(a -> names.contains(a.getName().toLowerCase(Locale.ROOT))).toList();
    }

    private static void add(List<Attribute> attributes, String name, String value) {
        if (value != null && !value.isBlank()) {
            attributes.add(new Attribute(name, value));
        }
    }
}
