package fr.mssante.operator.citizen;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

/** The citizens whose mailbox we serve ({@code mss.citizen}): INS, address, display name, personal e-mail, state. */
public class CitizenRegister {
    private final DataSource dataSource;
    private final Clock clock;

    public CitizenRegister(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public Optional<Citizen> find(Ins ins) throws SQLException {
        return one("SELECT ins, address, display_name, personal_email, state FROM mss.citizen WHERE ins = ?", ins.value());
    }

    public Optional<Citizen> findByAddress(String address) throws SQLException {
        return one("SELECT ins, address, display_name, personal_email, state FROM mss.citizen WHERE address = ?",
            address.trim().toLowerCase(Locale.ROOT));
    }

    /** Registers a citizen unless present (an existing row is left as it is: a closed space stays closed). */
    public boolean registerIfAbsent(Ins ins, String patientDomain, String displayName, String personalEmail) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO mss.citizen (ins, address, display_name, "
                 + "personal_email, state, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ins) DO NOTHING")) {
            insert.setString(1, ins.value());
            insert.setString(2, ins.address(patientDomain));
            insert.setString(3, displayName);
            insert.setString(4, personalEmail.trim().toLowerCase(Locale.ROOT));
            insert.setString(5, Citizen.State.OPEN.name());
            insert.setTimestamp(6, Timestamp.from(clock.instant()));
            return insert.executeUpdate() == 1;
        }
    }

    /** Opt-out: later messages bounce. Whether the space was open. */
    public boolean close(Ins ins, Instant at) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                 "UPDATE mss.citizen SET state = ?, closed_at = ? WHERE ins = ? AND state = ?")) {
            update.setString(1, Citizen.State.CLOSED.name());
            update.setTimestamp(2, Timestamp.from(at));
            update.setString(3, ins.value());
            update.setString(4, Citizen.State.OPEN.name());
            return update.executeUpdate() == 1;
        }
    }

    public List<Citizen> all() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT ins, address, display_name, personal_email, state FROM mss.citizen ORDER BY ins");
             ResultSet rows = query.executeQuery()) {
            List<Citizen> citizens = new ArrayList<>();
            while (rows.next()) {
                citizens.add(citizen(rows));
            }
            return citizens;
        }
    }

    private Optional<Citizen> one(String sql, String value) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, value);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(citizen(row)) : Optional.empty();
            }
        }
    }

    private static Citizen citizen(ResultSet row) throws SQLException {
        return new Citizen(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
            Citizen.State.valueOf(row.getString(5)));
    }
}
