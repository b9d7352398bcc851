package fr.mssante.operator.extensions.smime;

import java.io.IOException;
import java.time.Clock;

import javax.inject.Singleton;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

import fr.mssante.operator.smime.verify.RevocationMode;
import fr.mssante.operator.smime.verify.SignatureVerifier;
import fr.mssante.operator.trust.pki.Pem;

/** S/MIME services of the pipeline, built from {@link SmimeSettings}. */
public class SmimeModule extends AbstractModule {
    private final SmimeSettings settings;

    public SmimeModule(SmimeSettings settings) {
        this.settings = settings;
    }

    @Provides
    @Singleton
    SignatureVerifier signatureVerifier() throws IOException {
        return new SignatureVerifier(Pem.readCertificates(settings.roots()), new CrlFileRevocationSource(settings.crlFiles()),
            RevocationMode.BEST_EFFORT, Clock.systemUTC());
    }
}
