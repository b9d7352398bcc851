package fr.mssante.operator.documents.filing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

/**
 * The filing policy ({@code mss.dmp_filing_policy}): the rule of the sending mailbox, else of its domain, else
 * {@link FilingRule#NONE}. Nothing is filed unless an operator asked for it. Precedence is by the explicit levels of
 * {@link FilingScope#PRECEDENCE}, decided here in Java, not by the database's ordering of the scope names.
 */
public class DmpFilingPolicy {
    private final DataSource dataSource;

    public DmpFilingPolicy(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public FilingRule ruleFor(String senderAddress) throws SQLException {
        String address = senderAddress.trim().toLowerCase(Locale.ROOT);
        String domain = address.substring(address.indexOf('@') + 1);
        Map<FilingScope, FilingRule> found = new EnumMap<>(FilingScope.class);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT scope, rule FROM mss.dmp_filing_policy WHERE "
                 + "(scope = 'MAILBOX' AND subject = ?) OR (scope = 'DOMAIN' AND subject = ?)")) {
            query.setString(1, address);
            query.setString(2, domain);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    found.put(FilingScope.valueOf(rows.getString(1)), FilingRule.valueOf(rows.getString(2)));
                }
            }
        }
        return decide(found);
    }

    /** The rule of the most specific level that has one ({@link FilingScope#PRECEDENCE}), else {@link FilingRule#NONE}. */
    static FilingRule decide(Map<FilingScope, FilingRule> rulesByLevel) {
        for (FilingScope level : FilingScope.PRECEDENCE) {
            FilingRule rule = rulesByLevel.get(level);
            if (rule != null) {
                return rule;
            }
        }
        return FilingRule.NONE;
    }

    public void set(String scope, String subject, FilingRule rule) throws SQLException {
        String normalisedScope = scope(scope).name();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("INSERT INTO mss.dmp_filing_policy (scope, subject, rule) "
                 + "VALUES (?, ?, ?) ON CONFLICT (scope, subject) DO UPDATE SET rule = EXCLUDED.rule, updated_at = now()")) {
            upsert.setString(1, normalisedScope);
            upsert.setString(2, subject.trim().toLowerCase(Locale.ROOT));
            upsert.setString(3, rule.name());
            upsert.executeUpdate();
        }
    }

    public boolean remove(String scope, String subject) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                 "DELETE FROM mss.dmp_filing_policy WHERE scope = ? AND subject = ?")) {
            delete.setString(1, scope(scope).name());
            delete.setString(2, subject.trim().toLowerCase(Locale.ROOT));
            return delete.executeUpdate() > 0;
        }
    }

    /** Every rule, "SCOPE subject" to rule. */
    public Map<String, FilingRule> all() throws SQLException {
        Map<String, FilingRule> rules = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT scope, subject, rule FROM mss.dmp_filing_policy ORDER BY scope, subject");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                rules.put(rows.getString(1) + " " + rows.getString(2), FilingRule.valueOf(rows.getString(3)));
            }
        }
        return rules;
    }

    private static FilingScope scope(String scope) {
        try {
            return FilingScope.valueOf(scope.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scope must be MAILBOX or DOMAIN, got '" + scope + "'");
        }
    }
}
