package fr.mssante.operator.directory.lookup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import fr.mssante.operator.directory.refresh.MailboxRefresh;
import fr.mssante.operator.directory.text.Normaliser;

/**
 * Read side of the directory, over the views of the current import. Thread-safe; each call takes a connection from
 * the pool. Matching is on the folded columns computed at import, with the same {@link Normaliser} for the terms.
 */
public final class DirectoryLookup {

    static final String MAILBOX_COLUMNS = "address, kind, national_id, civility, last_name, first_name, "
        + "profession_code, profession_label, specialty_code, specialty_label, org_name, service, postal_code, city, "
        + "department";

    /** A search that takes longer (a pathological LDAP filter) is cancelled by the server. */
    static final int QUERY_TIMEOUT_SECONDS = 10;

    private final DataSource dataSource;

    public DirectoryLookup(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The mailbox with this address (case-insensitive): from the current extraction, else from a recent on-demand
     * refresh ({@link fr.mssante.operator.directory.refresh.MailboxRefresh}) of an address the extraction does not
     * list yet (then only the address, kind, national id and service are known).
     */
    public Optional<MailboxEntry> byAddress(String address) throws SQLException {
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        String key = address.trim().toLowerCase(Locale.ROOT);
        // one round trip: the extraction's entry if any, else the refreshed one (every message asks this of its sender)
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(BY_ADDRESS)) {
            ps.setString(1, key);
            ps.setString(2, key);
            ps.setInt(3, (int) MailboxRefresh.KEEP.toDays());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new MailboxEntry(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                    rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                    rs.getString(16)));
            }
        }
    }

    /** The extraction's mailbox (rank 0) before a recent on-demand refresh (rank 1: address, kind, id, service only). */
    private static final String BY_ADDRESS = "SELECT * FROM ("
        + "(SELECT 0 AS rank, " + MAILBOX_COLUMNS + " FROM directory.mailbox WHERE address_key = ?"
        + " ORDER BY norm_name LIMIT 1)"
        + " UNION ALL (SELECT 1, address, kind, national_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, service,"
        + " NULL, NULL, NULL FROM directory.mailbox_refreshed WHERE address_key = ? AND found"
        + " AND refreshed_at > now() - make_interval(days => ?) LIMIT 1)) candidates ORDER BY rank LIMIT 1";

    /** Activities and mailboxes of a professional; empty when the id is malformed or unknown. */
    public Optional<Professional> byNationalId(String nationalId) throws SQLException {
        Optional<String> id = NationalId.normalise(nationalId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        List<MailboxEntry> mailboxes = mailboxes(SqlCondition.of("national_id = ?", id.get()), 0, 100).items();
        List<ActivityEntry> activities = activities(id.get());
        if (mailboxes.isEmpty() && activities.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Professional(id.get(), activities, mailboxes));
    }

    /** Mailboxes matching every criterion, ordered by name then address. */
    public Page<MailboxEntry> search(SearchQuery query) throws SQLException {
        return mailboxes(condition(query), query.offset(), query.limit());
    }

    /** Mailboxes matching a condition over the mailbox view's columns (used by the LDAP server). */
    public Page<MailboxEntry> mailboxes(SqlCondition condition, int offset, int limit) throws SQLException {
        String sql = "SELECT " + MAILBOX_COLUMNS + " FROM directory.mailbox WHERE " + condition.sql()
            + " ORDER BY norm_name, address_key LIMIT ? OFFSET ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            int i = 1;
            for (String p : condition.parameters()) {
                ps.setString(i++, p);
            }
            ps.setInt(i++, limit + 1);
            ps.setInt(i, offset);
            List<MailboxEntry> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(new MailboxEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                        rs.getString(15)));
                }
            }
            boolean more = items.size() > limit;
            return new Page<>(more ? List.copyOf(items.subList(0, limit)) : List.copyOf(items), offset, limit, more);
        }
    }

    private List<ActivityEntry> activities(String nationalId) throws SQLException {
        String sql = "SELECT national_id, civility, last_name, first_name, profession_code, profession_label, "
            + "specialty_code, specialty_label, mode_label, org_name, siret, finess, postal_code, city, phone "
            + "FROM directory.activity WHERE national_id = ? ORDER BY postal_code, org_name LIMIT 200";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, nationalId);
            List<ActivityEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ActivityEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                        rs.getString(15)));
                }
            }
            return out;
        }
    }

    static SqlCondition condition(SearchQuery q) {
        List<SqlCondition> parts = new ArrayList<>();
        for (String word : words(q.name())) {
            parts.add(SqlCondition.of("norm_name LIKE ?", "%" + word + "%"));
        }
        codeOrLabel(parts, q.profession(), "profession_code", "norm_profession");
        codeOrLabel(parts, q.specialty(), "specialty_code", "norm_specialty");
        String city = Normaliser.foldOrNull(q.city());
        if (city != null) {
            parts.add(SqlCondition.of("norm_city LIKE ?", "%" + city + "%"));
        }
        if (q.kind() != null && !q.kind().isBlank()) {
            parts.add(SqlCondition.of("kind = ?", q.kind().trim().toUpperCase(Locale.ROOT)));
        }
        return SqlCondition.combine("AND", parts);
    }

    private static void codeOrLabel(List<SqlCondition> parts, String term, String codeColumn, String labelColumn) {
        if (term == null || term.isBlank()) {
            return;
        }
        List<SqlCondition> words = new ArrayList<>();
        for (String word : words(term)) {
            words.add(SqlCondition.of(labelColumn + " LIKE ?", "%" + word + "%"));
        }
        parts.add(SqlCondition.combine("OR", List.of(SqlCondition.of(codeColumn + " = ?", term.trim()),
            SqlCondition.combine("AND", words))));
    }

    /** Folded words of a term; folded text has only [a-z0-9 ], so no LIKE wildcard can come from input. */
    static List<String> words(String term) {
        String folded = Normaliser.foldOrNull(term);
        return folded == null ? List.of() : Arrays.asList(folded.split(" "));
    }
}
