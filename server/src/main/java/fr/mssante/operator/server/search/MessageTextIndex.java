package fr.mssante.operator.server.search;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.inject.Inject;
import javax.inject.Singleton;
import javax.sql.DataSource;

import fr.mssante.operator.database.DatabaseSettings;

/**
 * Table {@code mss.message_search_text} (ADR 0011): the searchable text of each message, keyed by James's
 * {@code (mailbox_id, mail_uid)}, read from and checked against James's message table {@code james.james_mail}.
 * Every method is one short statement or transaction; a failure leaves the index incomplete, never wrong, because
 * searches treat {@code james.james_mail} as the truth ({@link #messages}).
 */
@Singleton
public class MessageTextIndex {
    /** What a message's text is searched in. */
    public enum Scope {
        /** RFC 3501 BODY: the body's text parts. */
        BODY("body LIKE ? ESCAPE '\\'", 1),
        /** RFC 3501 TEXT: the header fields or the body. */
        TEXT("(headers LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')", 2);

        private final String condition;
        private final int parameters;

        Scope(String condition, int parameters) {
            this.condition = condition;
            this.parameters = parameters;
        }

        public boolean matches(SearchableText text, String foldedTerm) {
            return switch (this) {
                case BODY -> text.body().contains(foldedTerm);
                case TEXT -> text.headers().contains(foldedTerm) || text.body().contains(foldedTerm);
            };
        }
    }

    private static final int BATCH = 100;

    private final DataSource dataSource;

    @Inject
    public MessageTextIndex(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The messages of a mailbox now (uid → whether its text is indexed), from James's own table: the universe every
     * search result is taken from, so that a stale index row (expunge not yet reflected) is never returned.
     */
    public TreeMap<Long, Boolean> messages(long mailboxId, Duration timeout) throws SQLException {
        TreeMap<Long, Boolean> messages = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                 "SELECT m.mail_uid, s.uid IS NOT NULL FROM james.james_mail m"
                     + " LEFT JOIN message_search_text s ON s.mailbox_id = m.mailbox_id AND s.uid = m.mail_uid"
                     + " WHERE m.mailbox_id = ?")) {
            statement.setQueryTimeout(seconds(timeout));
            statement.setLong(1, mailboxId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    messages.put(rows.getLong(1), rows.getBoolean(2));
                }
            }
        }
        return messages;
    }

    /** The indexed messages of a mailbox whose text contains the (unfolded) term, in {@code scope}. */
    public TreeSet<Long> matching(long mailboxId, Scope scope, String term, Duration timeout) throws SQLException {
        String pattern = "%" + escapeLike(SearchableText.fold(term)) + "%";
        TreeSet<Long> uids = new TreeSet<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                 "SELECT uid FROM message_search_text WHERE mailbox_id = ? AND " + scope.condition)) {
            statement.setQueryTimeout(seconds(timeout));
            statement.setLong(1, mailboxId);
            for (int i = 0; i < scope.parameters; i++) {
                statement.setString(2 + i, pattern);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    uids.add(rows.getLong(1));
                }
            }
        }
        return uids;
    }

    /**
     * Reads those of the given messages that are not indexed yet from James's table, indexes them and returns their
     * text (uid → text; a message expunged meanwhile, or already indexed, is absent). A message never changes, so an
     * indexed row is never stale for its (mailbox, uid).
     */
    public Map<Long, SearchableText> indexFromStore(long mailboxId, Collection<Long> uids) throws SQLException {
        Map<Long, SearchableText> texts = new LinkedHashMap<>();
        List<Long> all = new ArrayList<>(uids);
        for (int from = 0; from < all.size(); from += BATCH) {
            texts.putAll(indexBatch(mailboxId, all.subList(from, Math.min(all.size(), from + BATCH))));
        }
        return texts;
    }

    private Map<Long, SearchableText> indexBatch(long mailboxId, List<Long> uids) throws SQLException {
        Map<Long, SearchableText> texts = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            Array array = connection.createArrayOf("bigint", uids.toArray());
            try (PreparedStatement select = connection.prepareStatement(
                "SELECT m.mail_uid, m.header_bytes, m.mail_bytes FROM james.james_mail m WHERE m.mailbox_id = ?"
                    + " AND m.mail_uid = ANY (?) AND NOT EXISTS (SELECT 1 FROM message_search_text s"
                    + " WHERE s.mailbox_id = m.mailbox_id AND s.uid = m.mail_uid)")) {
                select.setLong(1, mailboxId);
                select.setArray(2, array);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        byte[] header = rows.getBytes(2);
                        byte[] body = rows.getBytes(3);
                        texts.put(rows.getLong(1), SearchableText.of(header == null ? new byte[0] : header,
                            body == null ? new byte[0] : body));
                    }
                }
            }
            if (texts.isEmpty()) {
                return texts;
            }
            try (PreparedStatement insert = connection.prepareStatement(UPSERT)) {
                for (Map.Entry<Long, SearchableText> text : texts.entrySet()) {
                    bind(insert, mailboxId, text.getKey(), text.getValue());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        return texts;
    }

    /** The upsert of one message's text; schema-qualified, as it also runs on James's connections (schema james). */
    private static final String UPSERT = "INSERT INTO " + DatabaseSettings.MSS_SCHEMA
        + ".message_search_text (mailbox_id, uid, headers, body) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (mailbox_id, uid) DO UPDATE SET headers = excluded.headers, body = excluded.body, indexed_at = now()";

    /**
     * Indexes one message on {@code connection}, inside the transaction that stores it (a delivery, an APPEND): the
     * text row commits or rolls back with the message, so no crash can leave a stored message un-indexed, and the
     * message is neither read back nor indexed in a second transaction.
     */
    public static void indexInTransaction(Connection connection, long mailboxId, long uid, byte[] header, byte[] body)
        throws SQLException {
        SearchableText text = SearchableText.of(header, body);
        try (PreparedStatement insert = connection.prepareStatement(UPSERT)) {
            bind(insert, mailboxId, uid, text);
            insert.executeUpdate();
        }
    }

    private static void bind(PreparedStatement insert, long mailboxId, long uid, SearchableText text) throws SQLException {
        insert.setLong(1, mailboxId);
        insert.setLong(2, uid);
        insert.setString(3, text.headers());
        insert.setString(4, text.body());
    }

    /** Forgets expunged messages. */
    public void delete(long mailboxId, Collection<Long> uids) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                 "DELETE FROM message_search_text WHERE mailbox_id = ? AND uid = ANY (?)")) {
            statement.setLong(1, mailboxId);
            statement.setArray(2, connection.createArrayOf("bigint", uids.toArray()));
            statement.executeUpdate();
        }
    }

    /** Forgets a deleted mailbox. */
    public void deleteMailbox(long mailboxId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("DELETE FROM message_search_text WHERE mailbox_id = ?")) {
            statement.setLong(1, mailboxId);
            statement.executeUpdate();
        }
    }

    /** Result of a {@link #catchUp}. */
    public record CatchUp(int indexed, int removed) {
    }

    /**
     * Repairs the index after a crash: indexes every stored message that has no row (a crash between the message's
     * commit and its indexing) and removes rows whose message is gone (a crash before an expunge reached the index).
     */
    public CatchUp catchUp() throws SQLException {
        Map<Long, List<Long>> missing = new TreeMap<>();
        int removed;
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement(
                "SELECT m.mailbox_id, m.mail_uid FROM james.james_mail m WHERE NOT EXISTS (SELECT 1 FROM message_search_text s"
                    + " WHERE s.mailbox_id = m.mailbox_id AND s.uid = m.mail_uid)");
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    missing.computeIfAbsent(rows.getLong(1), id -> new ArrayList<>()).add(rows.getLong(2));
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM message_search_text s WHERE NOT EXISTS (SELECT 1 FROM james.james_mail m"
                    + " WHERE m.mailbox_id = s.mailbox_id AND m.mail_uid = s.uid)")) {
                removed = statement.executeUpdate();
            }
        }
        int indexed = 0;
        for (Map.Entry<Long, List<Long>> mailbox : missing.entrySet()) {
            indexed += indexFromStore(mailbox.getKey(), mailbox.getValue()).size();
        }
        return new CatchUp(indexed, removed);
    }

    /** LIKE treats {@code % _ \} as operators: the term's own are made literal. */
    static String escapeLike(String term) {
        StringBuilder escaped = new StringBuilder(term.length() + 8);
        for (char c : term.toCharArray()) {
            if (c == '%' || c == '_' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    private static int seconds(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
    }
}
