package fr.mssante.operator.dmp.connector.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import fr.mssante.operator.dmp.connector.vihf.SigningIdentity;

/**
 * The organisation's PKCS#12 (certificate + key: TLS client authentication and VIHF signature) and the PEM CA
 * bundle that the DMP's server certificate must chain to.
 */
public final class TlsMaterial {
    private final KeyStore keyStore;
    private final char[] password;
    private final String alias;
    private final List<X509Certificate> trustedCas;

    private TlsMaterial(KeyStore keyStore, char[] password, String alias, List<X509Certificate> trustedCas) {
        this.keyStore = keyStore;
        this.password = password;
        this.alias = alias;
        this.trustedCas = trustedCas;
    }

    /** Loads the PKCS#12 (first key entry) and the PEM trust bundle (may be null: no TLS, signing only). */
    public static TlsMaterial load(Path pkcs12, char[] password, Path trustPem) throws IOException,
        GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            ks.load(in, password);
        }
        String alias = null;
        for (String a : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(a)) {
                alias = a;
                break;
            }
        }
        if (alias == null) {
            throw new GeneralSecurityException("no private key in " + pkcs12);
        }
        return new TlsMaterial(ks, password.clone(), alias, trustPem == null ? List.of() : readCertificates(trustPem));
    }

    /** For tests and embedding: material already in memory. */
    public static TlsMaterial of(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> trustedCas)
        throws GeneralSecurityException {
        char[] password = "in-memory".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        ks.setKeyEntry("organisation", key, password, chain.toArray(X509Certificate[]::new));
        return new TlsMaterial(ks, password, "organisation", List.copyOf(trustedCas));
    }

    public static List<X509Certificate> readCertificates(Path pem) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pem)) {
            for (Certificate c : cf.generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + pem);
        }
        return List.copyOf(out);
    }

    public SigningIdentity signingIdentity() throws GeneralSecurityException {
        Key key = keyStore.getKey(alias, password);
        Certificate[] chain = keyStore.getCertificateChain(alias);
        return new SigningIdentity((PrivateKey) key,
            Arrays.stream(chain).map(X509Certificate.class::cast).toList());
    }

    /** TLS 1.2/1.3 context presenting our certificate and trusting only the configured CAs. */
    public SSLContext sslContext() throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore single = KeyStore.getInstance("PKCS12");
        try {
            single.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        single.setKeyEntry(alias, keyStore.getKey(alias, password), password, keyStore.getCertificateChain(alias));
        kmf.init(single, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (X509Certificate ca : trustedCas) {
            trust.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
