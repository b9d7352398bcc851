package fr.mssante.operator.extensions.antivirus;

import java.util.Optional;

import com.google.inject.AbstractModule;

import fr.mssante.operator.documents.antivirus.VirusScanner;

/**
 * The virus scanner of the pipeline: clamd at {@code MSS_CLAMD_ADDRESS} ({@code host:port} or {@code unix:/path}),
 * or, in development without clamd, none (the pipeline marks mail NOT_SCANNED and warns at start).
 */
public class AntivirusModule extends AbstractModule {
    private final Optional<VirusScanner> scanner;

    public AntivirusModule(Optional<VirusScanner> scanner) {
        this.scanner = scanner;
    }

    @Override
    protected void configure() {
        bind(VirusScanner.class).toInstance(scanner.orElse(VirusScanner.DISABLED));
    }
}
