package fr.mssante.operator.trust.dn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A relative distinguished name: one or more AVAs; multi-valued RDNs compare regardless of AVA order.
 *
 * @param avas the AVAs sorted by (type, normalised value)
 */
public record Rdn(List<Ava> avas) {
    public Rdn {
        if (avas.isEmpty()) {
            throw new DnParseException("empty RDN");
        }
        List<Ava> sorted = new ArrayList<>(avas);
        Collections.sort(sorted);
        avas = List.copyOf(sorted);
    }

    String canonical() {
        return avas.stream().map(Ava::canonical).collect(Collectors.joining("+"));
    }

    /** The value of the first AVA of this type (canonical name such as "CN"), or null. */
    public String valueOf(String type) {
        for (Ava a : avas) {
            if (a.type().equals(type)) {
                return a.value();
            }
        }
        return null;
    }
}
