package fr.mssante.operator.trust.config;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import fr.mssante.operator.trust.list.TrustListParser;
import fr.mssante.operator.trust.list.TrustListValidator;
import fr.mssante.operator.trust.pki.PeerValidationConfig;
import fr.mssante.operator.trust.pki.Pem;
import fr.mssante.operator.trust.source.TrustListSource;
import fr.mssante.operator.trust.source.TrustListSources;

/**
 * The trust space settings, read from a map of {@code MSS_TRUST_*} keys (environment or a properties file); see the
 * configuration table of {@code docs/features/trust-space.md}.
 *
 * @param roots {@code MSS_TRUST_ROOTS}: PEM bundle of accepted CAs
 * @param list {@code MSS_TRUST_LIST}: file path or https URL of the liste blanche
 * @param refreshInterval {@code MSS_TRUST_LIST_REFRESH} (default 1 h)
 * @param minRatio {@code MSS_TRUST_LIST_MIN_RATIO} (default 0.9)
 * @param maxBytes {@code MSS_TRUST_LIST_MAX_BYTES} (default 64 MiB)
 * @param crlFiles {@code MSS_TRUST_CRL_FILES}: comma-separated CRL files (default none)
 * @param fetchCrls {@code MSS_TRUST_CRL_FETCH} (default true)
 * @param ocsp {@code MSS_TRUST_OCSP} (default true)
 * @param softFail {@code MSS_TRUST_REVOCATION_SOFT_FAIL} (default false)
 * @param revocationCache {@code MSS_TRUST_REVOCATION_CACHE} (default 1 h)
 * @param httpTimeout {@code MSS_TRUST_HTTP_TIMEOUT} (default 10 s)
 */
public record TrustSpaceSettings(Path roots, String list, Duration refreshInterval, double minRatio, long maxBytes,
                                 List<Path> crlFiles, boolean fetchCrls, boolean ocsp, boolean softFail,
                                 Duration revocationCache, Duration httpTimeout) {
    public static final String ROOTS = "MSS_TRUST_ROOTS";
    public static final String LIST = "MSS_TRUST_LIST";
    public static final String REFRESH = "MSS_TRUST_LIST_REFRESH";
    public static final String MIN_RATIO = "MSS_TRUST_LIST_MIN_RATIO";
    public static final String MAX_BYTES = "MSS_TRUST_LIST_MAX_BYTES";
    public static final String CRL_FILES = "MSS_TRUST_CRL_FILES";
    public static final String CRL_FETCH = "MSS_TRUST_CRL_FETCH";
    public static final String OCSP = "MSS_TRUST_OCSP";
    public static final String SOFT_FAIL = "MSS_TRUST_REVOCATION_SOFT_FAIL";
    public static final String REVOCATION_CACHE = "MSS_TRUST_REVOCATION_CACHE";
    public static final String HTTP_TIMEOUT = "MSS_TRUST_HTTP_TIMEOUT";

    public TrustSpaceSettings {
        crlFiles = List.copyOf(crlFiles);
    }

    /**
     * @throws IllegalArgumentException when a required key is missing or a value is invalid (message names the key)
     */
    public static TrustSpaceSettings fromMap(Map<String, String> m) {
        return new TrustSpaceSettings(
                Path.of(required(m, ROOTS)),
                required(m, LIST),
                duration(m, REFRESH, Duration.ofHours(1)),
                ratio(m),
                longValue(m, MAX_BYTES, TrustListParser.DEFAULT_MAX_BYTES),
                paths(m.getOrDefault(CRL_FILES, "")),
                bool(m, CRL_FETCH, true),
                bool(m, OCSP, true),
                bool(m, SOFT_FAIL, false),
                duration(m, REVOCATION_CACHE, Duration.ofHours(1)),
                duration(m, HTTP_TIMEOUT, Duration.ofSeconds(10)));
    }

    public List<X509Certificate> loadRoots() throws IOException {
        List<X509Certificate> certs = Pem.readCertificates(roots);
        if (certs.isEmpty()) {
            throw new IOException(ROOTS + " holds no certificate: " + roots);
        }
        return certs;
    }

    public PeerValidationConfig validationConfig(List<X509Certificate> rootCerts) {
        return new PeerValidationConfig(rootCerts, crlFiles, fetchCrls, ocsp, softFail, revocationCache);
    }

    public TrustListSource source(List<X509Certificate> rootCerts) {
        return TrustListSources.fromSetting(list, rootCerts, httpTimeout, maxBytes);
    }

    public TrustListParser parser() {
        return new TrustListParser(maxBytes);
    }

    public TrustListValidator listValidator() {
        return new TrustListValidator(minRatio);
    }

    private static String required(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + " is required");
        }
        return v.strip();
    }

    /** ISO-8601 ({@code PT1H}) or a number with unit s, m, h, d ({@code 90s}, {@code 1h}). */
    static Duration duration(Map<String, String> m, String key, Duration dflt) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        String s = v.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (s.startsWith("p")) {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } else {
                long n = Long.parseLong(s.substring(0, s.length() - 1));
                d = switch (s.charAt(s.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'd' -> Duration.ofDays(n);
                    default -> throw new IllegalArgumentException();
                };
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException();
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + ": invalid duration '" + v + "' (e.g. PT1H, 90s, 1h)");
        }
    }

    private static double ratio(Map<String, String> m) {
        String v = m.get(MIN_RATIO);
        if (v == null || v.isBlank()) {
            return TrustListValidator.DEFAULT_MIN_RATIO;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (d < 0 || d > 1) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MIN_RATIO + ": expected a number within [0, 1]: '" + v + "'");
        }
    }

    private static long longValue(Map<String, String> m, String key, long dflt) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": expected a positive integer: '" + v + "'");
        }
    }

    private static boolean bool(Map<String, String> m, String key, boolean dflt) {
        String v = m.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException(key + ": expected true or false: '" + v + "'");
        };
    }

    private static List<Path> paths(String v) {
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of).toList();
    }
}
