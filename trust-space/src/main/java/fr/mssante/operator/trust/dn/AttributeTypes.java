package fr.mssante.operator.trust.dn;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Canonical names of the X.500 attribute types, with their aliases and OIDs. */
final class AttributeTypes {
    private static final Map<String, String> CANONICAL = new HashMap<>();
    private static final Map<String, String> OID_BY_NAME = new HashMap<>();

    static {
        define("2.5.4.3", "CN", "COMMONNAME");
        define("2.5.4.11", "OU", "ORGANIZATIONALUNITNAME");
        define("2.5.4.10", "O", "ORGANIZATIONNAME");
        define("2.5.4.7", "L", "LOCALITYNAME");
        define("2.5.4.8", "ST", "S", "STATEORPROVINCENAME");
        define("2.5.4.6", "C", "COUNTRYNAME");
        define("2.5.4.9", "STREET", "STREETADDRESS");
        define("2.5.4.5", "SERIALNUMBER");
        define("2.5.4.4", "SN", "SURNAME");
        define("2.5.4.42", "GIVENNAME", "G", "GN");
        define("2.5.4.43", "INITIALS");
        define("2.5.4.44", "GENERATIONQUALIFIER");
        define("2.5.4.12", "T", "TITLE");
        define("2.5.4.17", "POSTALCODE");
        define("2.5.4.46", "DNQUALIFIER");
        define("2.5.4.65", "PSEUDONYM");
        define("2.5.4.97", "ORGANIZATIONIDENTIFIER");
        define("0.9.2342.19200300.100.1.25", "DC", "DOMAINCOMPONENT");
        define("0.9.2342.19200300.100.1.1", "UID", "USERID");
        define("1.2.840.113549.1.9.1", "EMAILADDRESS", "E", "EMAIL");
    }

    private AttributeTypes() {
    }

    private static void define(String oid, String canonical, String... aliases) {
        CANONICAL.put(oid, canonical);
        CANONICAL.put(canonical, canonical);
        OID_BY_NAME.put(canonical, oid);
        for (String alias : aliases) {
            CANONICAL.put(alias, canonical);
        }
    }

    /**
     * Canonical type: the short name when known (CN, OU, ST...), the dotted OID otherwise.
     *
     * @throws DnParseException when the type is neither a keyword nor an OID
     */
    static String canonical(String type) {
        String t = type.trim();
        if (t.regionMatches(true, 0, "OID.", 0, 4)) {
            t = t.substring(4);
        }
        String upper = t.toUpperCase(Locale.ROOT);
        String known = CANONICAL.get(upper);
        if (known != null) {
            return known;
        }
        if (upper.matches("[0-9]+(\\.[0-9]+)+")) {
            return upper;
        }
        if (upper.matches("[A-Z][A-Z0-9-]*")) {
            return upper;
        }
        throw new DnParseException("invalid attribute type '" + type + "'");
    }

    /** The canonical type of an OID (CN for 2.5.4.3, the OID itself when unknown). */
    static String fromOid(String oid) {
        return CANONICAL.getOrDefault(oid, oid);
    }

    static String oidOf(String canonical) {
        return OID_BY_NAME.get(canonical);
    }
}
