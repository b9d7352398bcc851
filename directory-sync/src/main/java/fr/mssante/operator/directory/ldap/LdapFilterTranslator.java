package fr.mssante.operator.directory.ldap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.unboundid.ldap.sdk.Filter;

import fr.mssante.operator.directory.lookup.SqlCondition;
import fr.mssante.operator.directory.text.Normaliser;

/**
 * Translates an LDAP filter into a condition over the mailbox view. Name-like attributes match their folded column
 * (case and accents ignored: (sn=lefevre) finds LEFÈVRE); unknown attributes match nothing, as in a real server.
 */
final class LdapFilterTranslator {

    private enum Match { FOLDED, LOWER, EXACT, UPPER }

    private record Target(String column, Match match) {
    }

    private static final Map<String, Target> ATTRIBUTES = Map.ofEntries(
        Map.entry("cn", new Target("norm_name", Match.FOLDED)),
        Map.entry("displayname", new Target("norm_name", Match.FOLDED)),
        Map.entry("sn", new Target("coalesce(norm_last, norm_name)", Match.FOLDED)),
        Map.entry("givenname", new Target("norm_first", Match.FOLDED)),
        Map.entry("mail", new Target("address_key", Match.LOWER)),
        Map.entry("title", new Target("norm_profession", Match.FOLDED)),
        Map.entry("businesscategory", new Target("norm_specialty", Match.FOLDED)),
        Map.entry("l", new Target("norm_city", Match.FOLDED)),
        Map.entry("o", new Target("norm_org", Match.FOLDED)),
        Map.entry("postalcode", new Target("postal_code", Match.EXACT)),
        Map.entry("mssnationalid", new Target("national_id", Match.EXACT)),
        Map.entry("employeenumber", new Target("national_id", Match.EXACT)),
        Map.entry("mssmailboxkind", new Target("kind", Match.UPPER)));

    static final Set<String> OBJECT_CLASSES = Set.of("top", "person", "organizationalperson", "inetorgperson",
        "mssmailbox");

    private LdapFilterTranslator() {
    }

    static SqlCondition toSql(Filter filter) {
        switch (filter.getFilterType()) {
            case Filter.FILTER_TYPE_AND:
                return SqlCondition.combine("AND", components(filter));
            case Filter.FILTER_TYPE_OR:
                return SqlCondition.combine("OR", components(filter));
            case Filter.FILTER_TYPE_NOT:
                return toSql(filter.getNOTComponent()).not();
            case Filter.FILTER_TYPE_PRESENCE:
                return presence(filter.getAttributeName());
            case Filter.FILTER_TYPE_EQUALITY:
                return equality(filter.getAttributeName(), filter.getAssertionValue());
            case Filter.FILTER_TYPE_APPROXIMATE_MATCH:
                return substring(filter.getAttributeName(), null, new String[] {filter.getAssertionValue()}, null);
            case Filter.FILTER_TYPE_SUBSTRING:
                return substring(filter.getAttributeName(), filter.getSubInitialString(), filter.getSubAnyStrings(),
                    filter.getSubFinalString());
            default:
                return SqlCondition.FALSE;
        }
    }

    private static List<SqlCondition> components(Filter filter) {
        List<SqlCondition> parts = new ArrayList<>();
        for (Filter f : filter.getComponents()) {
            parts.add(toSql(f));
        }
        return parts;
    }

    private static SqlCondition presence(String attribute) {
        String name = attribute.toLowerCase(Locale.ROOT);
        if (name.equals("objectclass")) {
            return SqlCondition.TRUE;
        }
        Target t = ATTRIBUTES.get(name);
        return t == null ? SqlCondition.FALSE : SqlCondition.of(t.column() + " IS NOT NULL");
    }

    private static SqlCondition equality(String attribute, String value) {
        String name = attribute.toLowerCase(Locale.ROOT);
        if (name.equals("objectclass")) {
            return OBJECT_CLASSES.contains(value.toLowerCase(Locale.ROOT)) ? SqlCondition.TRUE : SqlCondition.FALSE;
        }
        Target t = ATTRIBUTES.get(name);
        if (t == null) {
            return SqlCondition.FALSE;
        }
        String v = convert(t.match(), value);
        return v == null ? SqlCondition.FALSE : SqlCondition.of(t.column() + " = ?", v);
    }

    private static SqlCondition substring(String attribute, String initial, String[] any, String last) {
        Target t = ATTRIBUTES.get(attribute.toLowerCase(Locale.ROOT));
        if (t == null) {
            return SqlCondition.FALSE;
        }
        StringBuilder pattern = new StringBuilder();
        pattern.append(initial == null ? "%" : likeEscape(convert(t.match(), initial)) + "%");
        if (any != null) {
            for (String part : any) {
                String v = convert(t.match(), part);
                if (v != null && !v.isEmpty()) {
                    pattern.append(likeEscape(v)).append('%');
                }
            }
        }
        if (last != null) {
            pattern.append(likeEscape(convert(t.match(), last)));
        }
        String p = pattern.toString().replaceAll("%+", "%");
        return p.equals("%") ? SqlCondition.of(t.column() + " IS NOT NULL") : SqlCondition.of(t.column() + " LIKE ?", p);
    }

    private static String convert(Match match, String value) {
        if (value == null) {
            return "";
        }
        return switch (match) {
            case FOLDED -> Normaliser.fold(value);
            case LOWER -> value.trim().toLowerCase(Locale.ROOT);
            case UPPER -> value.trim().toUpperCase(Locale.ROOT);
            case EXACT -> value.trim();
        };
    }

    private static String likeEscape(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
