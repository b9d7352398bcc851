package fr.mssante.operator.smime.keystore;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.smime.crypto.Certificates;

/**
 * Private keys and certificates in {@code mss.smime_key}; private keys sealed under the {@link MasterKey}
 * (associated data: owner and certificate fingerprint, so a sealed key cannot be moved to another row).
 */
public final class KeyStoreRepository implements PrivateKeyStore {
    private static final Logger LOG = LoggerFactory.getLogger(KeyStoreRepository.class);

    private final DataSource dataSource;
    private final MasterKey masterKey;

    public KeyStoreRepository(DataSource dataSource, MasterKey masterKey) {
        this.dataSource = dataSource;
        this.masterKey = masterKey;
    }

    /** Stores (or replaces) the key of {@code owner} for this certificate. */
    public void store(String owner, X509Certificate certificate, List<X509Certificate> chain, PrivateKey privateKey) {
        String normalized = normalize(owner);
        String fingerprint = Certificates.sha256Hex(certificate);
        byte[] pkcs8 = privateKey.getEncoded();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO mss.smime_key (owner, fingerprint, issuer_dn, serial, not_after, certificate_der,
                                                chain_der, key_algorithm, sealed_key)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                     ON CONFLICT (owner, fingerprint) DO UPDATE SET chain_der = EXCLUDED.chain_der,
                         key_algorithm = EXCLUDED.key_algorithm, sealed_key = EXCLUDED.sealed_key""")) {
            ps.setString(1, normalized);
            ps.setString(2, fingerprint);
            ps.setString(3, certificate.getIssuerX500Principal().getName());
            ps.setString(4, certificate.getSerialNumber().toString(16));
            ps.setTimestamp(5, new Timestamp(certificate.getNotAfter().getTime()));
            ps.setBytes(6, certificate.getEncoded());
            ps.setBytes(7, concat(chain));
            ps.setString(8, privateKey.getAlgorithm());
            ps.setBytes(9, masterKey.seal(pkcs8, aad(normalized, fingerprint)));
            ps.executeUpdate();
            LOG.info("S/MIME key stored for {} ({})", normalized, fingerprint);
        } catch (SQLException | GeneralSecurityException e) {
            throw new KeyStoreException("cannot store the S/MIME key of " + normalized, e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    @Override
    public List<KeyEntry> keysFor(String owner) {
        String normalized = normalize(owner);
        List<KeyEntry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT fingerprint, certificate_der, chain_der, key_algorithm, sealed_key FROM mss.smime_key
                     WHERE owner = ? ORDER BY not_after DESC""")) {
            ps.setString(1, normalized);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(read(normalized, rs));
                }
            }
        } catch (SQLException | GeneralSecurityException e) {
            throw new KeyStoreException("cannot read the S/MIME keys of " + normalized, e);
        }
        return entries;
    }

    /** Deletes every key of {@code owner}; returns the number deleted. */
    public int deleteAll(String owner) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM mss.smime_key WHERE owner = ?")) {
            ps.setString(1, normalize(owner));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new KeyStoreException("cannot delete S/MIME keys", e);
        }
    }

    private KeyEntry read(String owner, ResultSet rs) throws SQLException, GeneralSecurityException {
        String fingerprint = rs.getString(1);
        X509Certificate certificate = Certificates.fromDer(rs.getBytes(2));
        byte[] chainDer = rs.getBytes(3);
        List<X509Certificate> chain = chainDer == null || chainDer.length == 0 ? List.of() : Certificates.allFrom(chainDer);
        byte[] pkcs8 = masterKey.open(rs.getBytes(5), aad(owner, fingerprint));
        try {
            PrivateKey key = KeyFactory.getInstance(rs.getString(4)).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new KeyEntry(owner, certificate, chain, key);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static byte[] aad(String owner, String fingerprint) {
        return ("mss.smime_key|" + owner + "|" + fingerprint).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(List<X509Certificate> chain) throws GeneralSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (X509Certificate c : chain) {
            out.writeBytes(c.getEncoded());
        }
        return out.toByteArray();
    }

    static String normalize(String owner) {
        return owner.trim().toLowerCase(Locale.ROOT);
    }

    /** Database or crypto failure of the key store (not hostile input: configuration or infrastructure). */
    public static final class KeyStoreException extends RuntimeException {
        public KeyStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
