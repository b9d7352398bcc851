package fr.mssante.operator.directory.refresh;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import fr.mssante.operator.directory.fhir.AnnuaireFhirClient;
import fr.mssante.operator.directory.fhir.FhirException;
import fr.mssante.operator.directory.fhir.FhirMailbox;

/**
 * Refreshes one mailbox address from the Annuaire Santé FHIR API, on demand: the daily extraction lags behind the
 * national directory, so a correspondent's new mailbox can be missing from it for a day or two. The answer is kept in
 * {@code directory.mailbox_refreshed} (found or not) and {@link fr.mssante.operator.directory.lookup.DirectoryLookup}
 * falls back on it for look-ups by address. Rows expire after {@link #KEEP} and are dropped once an import lists the
 * address ({@link #purge}). The API allows 17 calls a second: this is for single entries, never for bulk data.
 */
public final class MailboxRefresh {

    /** How long a refreshed entry is used when the extraction still does not list it. */
    public static final Duration KEEP = Duration.ofDays(30);

    private final AnnuaireFhirClient client;
    private final DataSource dataSource;
    private final Clock clock;

    public MailboxRefresh(AnnuaireFhirClient client, DataSource dataSource, Clock clock) {
        this.client = client;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Asks the API who publishes {@code address} and stores the answer; empty when the API does not know it. */
    public Optional<FhirMailbox> refresh(String address) throws IOException, FhirException, InterruptedException,
        SQLException {
        String key = address.trim().toLowerCase(Locale.ROOT);
        if (key.indexOf('@') <= 0) {
            throw new IllegalArgumentException("not a mailbox address");
        }
        List<FhirMailbox> found = client.findMailbox(key);
        Optional<FhirMailbox> mailbox = found.stream().findFirst();
        store(key, mailbox);
        return mailbox;
    }

    private void store(String key, Optional<FhirMailbox> mailbox) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
            "INSERT INTO directory.mailbox_refreshed (address_key, address, found, kind, national_id, service, "
                + "description, liste_rouge, publisher, refreshed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (address_key) DO UPDATE SET address = excluded.address, found = excluded.found, "
                + "kind = excluded.kind, national_id = excluded.national_id, service = excluded.service, "
                + "description = excluded.description, liste_rouge = excluded.liste_rouge, "
                + "publisher = excluded.publisher, refreshed_at = excluded.refreshed_at")) {
            ps.setString(1, key);
            ps.setString(2, mailbox.map(FhirMailbox::address).orElse(key));
            ps.setBoolean(3, mailbox.isPresent());
            ps.setString(4, mailbox.map(FhirMailbox::type).orElse(null));
            ps.setString(5, mailbox.map(FhirMailbox::nationalId).orElse(null));
            ps.setString(6, mailbox.map(FhirMailbox::service).orElse(null));
            ps.setString(7, mailbox.map(FhirMailbox::description).orElse(null));
            if (mailbox.isPresent()) {
                ps.setBoolean(8, mailbox.get().listeRouge());
            } else {
                ps.setNull(8, Types.BOOLEAN);
            }
            ps.setString(9, mailbox.map(FhirMailbox::owner).orElse(null));
            ps.setTimestamp(10, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
    }

    /**
     * Drops refreshed entries that the current extraction lists (it is the directory again for them) and those older
     * than {@link #KEEP}. Called after each applied MSSanté import. Returns the rows dropped.
     */
    public static int purge(Connection c, Clock clock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM directory.mailbox_refreshed r "
            + "WHERE r.refreshed_at < ? OR EXISTS (SELECT 1 FROM directory.mailbox m WHERE m.address_key = r.address_key)")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant().minus(KEEP)));
            return ps.executeUpdate();
        }
    }
}
