package fr.mssante.operator.trust.dn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.util.encoders.Hex;

/**
 * A parsed distinguished name, in string order (most specific RDN first, as RFC 4514 writes it:
 * {@code CN=...,OU=...,O=...,C=FR}). Equality and hash code use the normalised form: attribute type aliases and OIDs
 * unified, values compared case-insensitively with whitespace collapsed, multi-valued RDNs order-insensitive.
 */
public final class DistinguishedName {
    private final String original;
    private final List<Rdn> rdns;
    private final String canonical;

    private DistinguishedName(String original, List<Rdn> rdns) {
        this.original = original;
        this.rdns = List.copyOf(rdns);
        this.canonical = this.rdns.stream().map(Rdn::canonical).collect(Collectors.joining(","));
    }

    /**
     * Parses an RFC 4514 / 2253 string (leniently, see {@link DnParser}).
     *
     * @throws DnParseException when the string is not a DN
     */
    public static DistinguishedName parse(String dn) {
        return new DistinguishedName(dn, DnParser.parse(dn));
    }

    /** From a certificate's subject or issuer principal (read from its DER encoding, no string round-trip). */
    public static DistinguishedName of(X500Principal principal) {
        Objects.requireNonNull(principal, "principal");
        X500Name name = X500Name.getInstance(principal.getEncoded());
        List<Rdn> rdns = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            List<Ava> avas = new ArrayList<>();
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String type = AttributeTypes.fromOid(atv.getType().getId());
                String value = valueString(atv.getValue());
                avas.add(new Ava(type, value, Ava.normalize(value)));
            }
            rdns.add(new Rdn(avas));
        }
        Collections.reverse(rdns); // ASN.1 order is least specific first
        return new DistinguishedName(principal.getName(X500Principal.RFC2253), rdns);
    }

    private static String valueString(ASN1Encodable value) {
        if (value instanceof ASN1String str) {
            return str.getString();
        }
        try {
            return "#" + Hex.toHexString(value.toASN1Primitive().getEncoded());
        } catch (IOException e) {
            throw new DnParseException("unencodable attribute value");
        }
    }

    /** The RDNs, most specific first. */
    public List<Rdn> rdns() {
        return rdns;
    }

    /** The string this DN was built from (or the RFC 2253 form of the principal). */
    public String original() {
        return original;
    }

    /** The normalised form used for comparison and as a map key. */
    public String canonical() {
        return canonical;
    }

    public boolean isEmpty() {
        return rdns.isEmpty();
    }

    /** The first CN value, as written, or null. */
    public String commonName() {
        for (Rdn rdn : rdns) {
            String cn = rdn.valueOf("CN");
            if (cn != null) {
                return cn;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistinguishedName other && canonical.equals(other.canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return original;
    }
}
