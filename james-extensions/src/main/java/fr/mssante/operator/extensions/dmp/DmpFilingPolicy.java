package fr.mssante.operator.extensions.dmp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.inject.Inject;
import javax.sql.DataSource;

/**
 * The filing policy ({@code mss.dmp_filing_policy}): the rule of the sending mailbox, else of its domain, else
 * {@link FilingRule#NONE}. Nothing is filed unless an operator asked for it.
 */
public class DmpFilingPolicy {
    private final DataSource dataSource;

    @Inject
    public DmpFilingPolicy(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public FilingRule ruleFor(String senderAddress) throws SQLException {
        String address = senderAddress.trim().toLowerCase(Locale.ROOT);
        String domain = address.substring(address.indexOf('@') + 1);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT rule FROM mss.dmp_filing_policy WHERE "
                 + "(scope = 'MAILBOX' AND subject = ?) OR (scope = 'DOMAIN' AND subject = ?) ORDER BY scope DESC LIMIT 1")) {
            query.setString(1, address);
            query.setString(2, domain);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? FilingRule.valueOf(row.getString(1)) : FilingRule.NONE;
            }
        }
    }

    public void set(String scope, String subject, FilingRule rule) throws SQLException {
        String normalisedScope = scope.toUpperCase(Locale.ROOT);
        if (!normalisedScope.equals("MAILBOX") && !normalisedScope.equals("DOMAIN")) {
            throw new IllegalArgumentException("scope must be MAILBOX or DOMAIN, got '" + scope + "'");
        }
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
            delete.setString(1, scope.toUpperCase(Locale.ROOT));
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
}
