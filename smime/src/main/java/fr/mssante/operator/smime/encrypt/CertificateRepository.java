package fr.mssante.operator.smime.encrypt;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import fr.mssante.operator.smime.crypto.Certificates;

/** {@link CertificateDirectory} on {@code mss.smime_certificate}, fed by the directory, configuration and verified signatures. */
public final class CertificateRepository implements CertificateDirectory {
    public enum Source { DIRECTORY, CONFIGURATION, SIGNATURE }

    private final DataSource dataSource;

    public CertificateRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void store(String email, X509Certificate certificate, Source source) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO mss.smime_certificate (email, fingerprint, source, not_after, certificate_der)
                     VALUES (?, ?, ?, ?, ?)
                     ON CONFLICT (email, fingerprint) DO UPDATE SET source = EXCLUDED.source, updated_at = now()""")) {
            ps.setString(1, email.trim().toLowerCase(Locale.ROOT));
            ps.setString(2, Certificates.sha256Hex(certificate));
            ps.setString(3, source.name());
            ps.setTimestamp(4, new Timestamp(certificate.getNotAfter().getTime()));
            ps.setBytes(5, certificate.getEncoded());
            ps.executeUpdate();
        } catch (SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot store an S/MIME certificate", e);
        }
    }

    @Override
    public List<X509Certificate> certificatesFor(String email) {
        List<X509Certificate> result = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT certificate_der FROM mss.smime_certificate WHERE email = ? ORDER BY not_after DESC")) {
            ps.setString(1, email.trim().toLowerCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(Certificates.fromDer(rs.getBytes(1)));
                }
            }
        } catch (SQLException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read S/MIME certificates", e);
        }
        return result;
    }
}
