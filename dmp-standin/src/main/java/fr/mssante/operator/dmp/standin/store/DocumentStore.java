package fr.mssante.operator.dmp.standin.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/** The stand-in's documents in {@code dmp_standin.document}. */
public final class DocumentStore {
    private static final String COLUMNS = "unique_id, entry_uuid, submission_set_unique_id, source_id, patient_id, "
        + "type_code, class_code, format_code, confidentiality_code, healthcare_facility_code, practice_setting_code, "
        + "title, mime_type, language_code, creation_time, author_person, author_institution, size, hash, state, "
        + "vihf_subject, vihf_issuer, received_at";

    /** What happened to one document of a submission. */
    public enum Insertion { STORED, DUPLICATE_SAME_HASH, DUPLICATE_OTHER_HASH }

    private final DataSource dataSource;

    public DocumentStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores the documents of one submission atomically: all stored, or none when any unique id is already there
     * (the returned list then says which ones collided).
     */
    public List<Insertion> storeAll(List<StoredDocument> documents, List<byte[]> contents) throws SQLException {
        String sql = "INSERT INTO dmp_standin.document (" + COLUMNS + ", content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (unique_id) DO NOTHING";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Insertion> out = new ArrayList<>();
                boolean allStored = true;
                for (int i = 0; i < documents.size(); i++) {
                    StoredDocument d = documents.get(i);
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        int p = 1;
                        ps.setString(p++, d.uniqueId());
                        ps.setString(p++, d.entryUuid());
                        ps.setString(p++, d.submissionSetUniqueId());
                        ps.setString(p++, d.sourceId());
                        ps.setString(p++, d.patientId());
                        ps.setString(p++, d.typeCode());
                        ps.setString(p++, d.classCode());
                        ps.setString(p++, d.formatCode());
                        ps.setString(p++, d.confidentialityCode());
                        ps.setString(p++, d.healthcareFacilityTypeCode());
                        ps.setString(p++, d.practiceSettingCode());
                        ps.setString(p++, d.title());
                        ps.setString(p++, d.mimeType());
                        ps.setString(p++, d.languageCode());
                        ps.setString(p++, d.creationTime());
                        ps.setString(p++, d.authorPerson());
                        ps.setString(p++, d.authorInstitution());
                        ps.setLong(p++, d.size());
                        ps.setString(p++, d.hash());
                        ps.setString(p++, d.state());
                        ps.setString(p++, d.vihfSubject());
                        ps.setString(p++, d.vihfIssuer());
                        ps.setObject(p++, OffsetDateTime.ofInstant(d.receivedAt(), ZoneOffset.UTC));
                        ps.setBytes(p, contents.get(i));
                        if (ps.executeUpdate() == 1) {
                            out.add(Insertion.STORED);
                            continue;
                        }
                    }
                    allStored = false;
                    try (PreparedStatement ps = c.prepareStatement(
                        "SELECT hash FROM dmp_standin.document WHERE unique_id = ?")) {
                        ps.setString(1, d.uniqueId());
                        try (ResultSet rs = ps.executeQuery()) {
                            boolean same = rs.next() && rs.getString(1).equalsIgnoreCase(d.hash());
                            out.add(same ? Insertion.DUPLICATE_SAME_HASH : Insertion.DUPLICATE_OTHER_HASH);
                        }
                    }
                }
                if (allStored) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public List<StoredDocument> list(int limit) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM dmp_standin.document ORDER BY id LIMIT ?", ps -> ps.setInt(1, limit));
    }

    public List<StoredDocument> byPatient(String patientId) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM dmp_standin.document WHERE patient_id = ? ORDER BY id",
            ps -> ps.setString(1, patientId));
    }

    public Optional<StoredDocument> find(String uniqueId) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM dmp_standin.document WHERE unique_id = ?",
            ps -> ps.setString(1, uniqueId)).stream().findFirst();
    }

    public Optional<byte[]> content(String uniqueId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
            "SELECT content FROM dmp_standin.document WHERE unique_id = ?")) {
            ps.setString(1, uniqueId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    public long count() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
            "SELECT count(*) FROM dmp_standin.document"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<StoredDocument> query(String sql, Binder binder) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<StoredDocument> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredDocument(rs.getString("unique_id"), rs.getString("entry_uuid"),
                        rs.getString("submission_set_unique_id"), rs.getString("source_id"),
                        rs.getString("patient_id"), rs.getString("type_code"), rs.getString("class_code"),
                        rs.getString("format_code"), rs.getString("confidentiality_code"),
                        rs.getString("healthcare_facility_code"), rs.getString("practice_setting_code"),
                        rs.getString("title"), rs.getString("mime_type"), rs.getString("language_code"),
                        rs.getString("creation_time"), rs.getString("author_person"),
                        rs.getString("author_institution"), rs.getLong("size"), rs.getString("hash"),
                        rs.getString("state"), rs.getString("vihf_subject"), rs.getString("vihf_issuer"),
                        rs.getObject("received_at", OffsetDateTime.class).toInstant()));
                }
            }
            return out;
        }
    }
}
