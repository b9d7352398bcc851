package fr.mssante.operator.trust.source;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/** Builds the source named by the {@code MSS_TRUST_LIST} setting: an https URL or a file path. */
public final class TrustListSources {
    private TrustListSources() {
    }

    public static TrustListSource fromSetting(String setting, List<X509Certificate> roots, Duration timeout,
                                              long maxBytes) {
        String s = setting == null ? "" : setting.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("no liste blanche configured");
        }
        if (s.regionMatches(true, 0, "https://", 0, 8)) {
            return new HttpsTrustListSource(URI.create(s), roots, timeout, maxBytes);
        }
        if (s.regionMatches(true, 0, "file:", 0, 5)) {
            return new FileTrustListSource(Path.of(URI.create(s)), maxBytes);
        }
        if (s.matches("(?i)^[a-z][a-z0-9+.-]*://.*")) {
            throw new IllegalArgumentException("only https URLs or file paths are accepted: " + s);
        }
        return new FileTrustListSource(Path.of(s), maxBytes);
    }
}
