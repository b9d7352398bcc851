package fr.mssante.operator.server.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Locale;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * The server identity may be given as PKCS#12 ({@code MSS_TLS_CERTIFICATE=…/server.p12} with
 * {@code MSS_TLS_KEYSTORE_PASSWORD}): James's listeners and our outbound delivery read PEM, so the key entry is written
 * once per start to {@code var/run/tls/} (owner-only) and the settings point there.
 */
public final class Pkcs12Identity {
    private Pkcs12Identity() {
    }

    public static ServerSettings convertIfNeeded(ServerSettings settings, Path workingDirectory) {
        String certificate = settings.get(Setting.TLS_CERTIFICATE).toLowerCase(Locale.ROOT);
        if (!certificate.endsWith(".p12") && !certificate.endsWith(".pfx")) {
            return settings;
        }
        Path keystore = workingDirectory.resolve(settings.get(Setting.TLS_CERTIFICATE));
        char[] password = settings.get(Setting.TLS_KEYSTORE_PASSWORD).toCharArray();
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            for (String alias : Collections.list(store.aliases())) {
                Key key = store.getKey(alias, password);
                if (key instanceof PrivateKey privateKey) {
                    Path directory = Files.createDirectories(workingDirectory.resolve("var/run/tls"));
                    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
                    Path chain = directory.resolve("server-chain.pem");
                    Path keyFile = directory.resolve("server-key.pem");
                    StringBuilder pems = new StringBuilder();
                    for (Certificate certificateInChain : store.getCertificateChain(alias)) {
                        pems.append(pem(certificateInChain));
                    }
                    Files.writeString(chain, pems, StandardCharsets.US_ASCII);
                    Files.writeString(keyFile, pem(privateKey), StandardCharsets.US_ASCII);
                    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
                    return settings.with(Setting.TLS_CERTIFICATE, chain.toString()).with(Setting.TLS_PRIVATE_KEY, keyFile.toString());
                }
            }
            throw new InvalidSettingException(Setting.TLS_CERTIFICATE, "PKCS#12 file " + keystore + " holds no private key");
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidSettingException(Setting.TLS_CERTIFICATE, "cannot read PKCS#12 " + keystore
                + " (check MSS_TLS_KEYSTORE_PASSWORD): " + e.getMessage());
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
