package fr.mssante.operator.trust.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Our TLS identity (PEM certificate chain + unencrypted PKCS#8 or PKCS#1 key) as JSSE key managers. */
public final class PemKeyMaterial {
    private PemKeyMaterial() {
    }

    public static KeyManager[] keyManagers(InputStream chainPem, InputStream keyPem) throws IOException, GeneralSecurityException {
        Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(chainPem).toArray(new Certificate[0]);
        if (chain.length == 0) {
            throw new IOException("No certificate in the PEM chain");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = new char[0];
        store.setKeyEntry("identity", privateKey(keyPem), password, chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    public static PrivateKey privateKey(InputStream keyPem) throws IOException {
        try (PEMParser parser = new PEMParser(new InputStreamReader(keyPem, StandardCharsets.US_ASCII))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException("No unencrypted PEM private key found");
        }
    }
}
