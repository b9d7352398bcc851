package fr.mssante.operator.register;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;
import javax.sql.DataSource;

import fr.mssante.operator.directory.publication.PublishedMailbox;
import fr.mssante.operator.directory.publication.PublishedMailboxSource;
import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.vocabulary.MailboxState;

/** Our mailboxes as the publication to the national directory sees them (from {@code mss.mailbox}). */
public class RegisterPublicationSource implements PublishedMailboxSource {
    private final DataSource dataSource;

    @Inject
    public RegisterPublicationSource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<PublishedMailbox> mailboxes() throws SQLException {
        List<PublishedMailbox> mailboxes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT address, kind, holder_id, description, service, "
                 + "liste_rouge, preferred_rank, state, published, created_at, last_activity_at FROM mss.mailbox ORDER BY address");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                MailboxKind kind = MailboxKind.valueOf(rows.getString(2));
                Timestamp lastActivity = rows.getTimestamp(11);
                mailboxes.add(new PublishedMailbox(rows.getString(1), kind, rows.getString(3),
                    kind.heldByPerson() ? null : rows.getString(3), rows.getString(4), rows.getString(5), null, rows.getBoolean(6),
                    (Integer) rows.getObject(7), MailboxState.valueOf(rows.getString(8)),
                    !rows.getBoolean(9), rows.getTimestamp(10).toInstant(), lastActivity == null ? null : lastActivity.toInstant()));
            }
        }
        return mailboxes;
    }
}
