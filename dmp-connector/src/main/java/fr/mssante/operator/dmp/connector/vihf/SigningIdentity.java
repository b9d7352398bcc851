package fr.mssante.operator.dmp.connector.vihf;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** The organisation's key and certificate chain (leaf first) that sign VIHF assertions. */
public record SigningIdentity(PrivateKey privateKey, List<X509Certificate> chain) {
    public SigningIdentity {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }
}
