package fr.mssante.operator.directory.publication;

import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

/**
 * Our mailboxes, for the publication and the dépublication. The mail server implements it over its register
 * ({@code mss.mailbox}); this module never reads the mail server's tables itself.
 */
@FunctionalInterface
public interface PublishedMailboxSource {

    /** Every mailbox of the register, whatever its state (the callers filter). */
    List<PublishedMailbox> mailboxes() throws SQLException;

    /**
     * Builds the source over a database, for the {@code directory publish} command. The server registers one in
     * {@code META-INF/services/fr.mssante.operator.directory.publication.PublishedMailboxSource$Provider}.
     */
    interface Provider {
        PublishedMailboxSource open(DataSource dataSource);
    }
}
