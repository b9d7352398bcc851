package fr.mssante.operator.extensions.smime;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.inject.Singleton;
import javax.sql.DataSource;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

import fr.mssante.operator.smime.SmimeSettings;
import fr.mssante.operator.smime.decrypt.MessageDecryptor;
import fr.mssante.operator.smime.encrypt.CertificateRepository;
import fr.mssante.operator.smime.keystore.KeyStoreRepository;
import fr.mssante.operator.smime.keystore.MasterKey;
import fr.mssante.operator.smime.keystore.PrivateKeyStore;
import fr.mssante.operator.smime.policy.EncryptMode;
import fr.mssante.operator.smime.policy.OutboundPlanner;
import fr.mssante.operator.smime.policy.PolicyRepository;
import fr.mssante.operator.smime.policy.PolicyResolver;
import fr.mssante.operator.smime.policy.PolicySettings;
import fr.mssante.operator.smime.policy.SignMode;
import fr.mssante.operator.smime.verify.RevocationMode;
import fr.mssante.operator.smime.verify.RevocationSource;
import fr.mssante.operator.smime.verify.SignatureVerifier;
import fr.mssante.operator.trust.pki.JdkHttpFetcher;
import fr.mssante.operator.trust.pki.Pem;
import fr.mssante.operator.trust.pki.RevocationChecker;

/** S/MIME services of the pipeline, built from {@link SmimeSettings}. */
public class SmimeModule extends AbstractModule {
    /** Operator-wide defaults below any stored policy: never sign, never encrypt (policies opt in). */
    static final PolicySettings DEFAULTS = new PolicySettings(SignMode.NEVER, EncryptMode.NEVER);
    static final Duration REVOCATION_FETCH_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REVOCATION_CACHE_TTL = Duration.ofHours(1);
    static final long MAX_CRL_BYTES = 64L * 1024 * 1024;

    private final SmimeSettings settings;

    public SmimeModule(SmimeSettings settings) {
        this.settings = settings;
    }

    @Provides
    @Singleton
    PrivateKeyStore privateKeys(DataSource dataSource) {
        return settings.masterKey()
            .<PrivateKeyStore>map(key -> new KeyStoreRepository(dataSource, MasterKey.fromBase64(key)))
            .orElseGet(() -> owner -> List.of());
    }

    @Provides
    @Singleton
    CertificateRepository certificates(DataSource dataSource) {
        return new CertificateRepository(dataSource);
    }

    @Provides
    @Singleton
    MessageDecryptor decryptor(PrivateKeyStore keys) {
        return new MessageDecryptor(keys);
    }

    @Provides
    @Singleton
    OutboundPlanner outboundPlanner(DataSource dataSource, PrivateKeyStore keys, CertificateRepository certificates,
                                    Clock clock) {
        return new OutboundPlanner(new PolicyResolver(new PolicyRepository(dataSource), DEFAULTS), keys, certificates,
            settings.operatorKeyOwner(), clock);
    }

    /**
     * Signer revocation with the trust space's checker: CRL files, CRLs fetched from the distribution points and OCSP
     * (both cached until nextUpdate, at most {@link #REVOCATION_CACHE_TTL}); a status that cannot be established is
     * reported {@code undetermined}, never good.
     */
    @Provides
    @Singleton
    SignatureVerifier signatureVerifier(Clock clock) throws IOException {
        RevocationChecker revocation = new RevocationChecker(RevocationChecker.readCrlFiles(settings.crlFiles()),
            new JdkHttpFetcher(REVOCATION_FETCH_TIMEOUT, MAX_CRL_BYTES), settings.fetchCrls(), settings.ocsp(),
            REVOCATION_CACHE_TTL);
        return new SignatureVerifier(Pem.readCertificates(settings.roots()), RevocationSource.of(revocation),
            RevocationMode.BEST_EFFORT, clock);
    }
}
