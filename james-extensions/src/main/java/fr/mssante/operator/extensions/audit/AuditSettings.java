package fr.mssante.operator.extensions.audit;

import java.time.Period;
import java.util.Objects;

/**
 * The audit trail's settings: the key that hashes patient addresses (MSS_AUDIT_HASH_KEY, base64 of at least 32 bytes;
 * development: {@code var/dev/audit-hash.key}) and the retention (MSS_AUDIT_RETENTION, default one year).
 */
public record AuditSettings(String hashKeyBase64, Period retention) {
    public AuditSettings {
        Objects.requireNonNull(hashKeyBase64, "hashKeyBase64");
        Objects.requireNonNull(retention, "retention");
    }

    @Override
    public String toString() {
        return "AuditSettings[hashKey=***, retention=" + retention + "]";
    }
}
