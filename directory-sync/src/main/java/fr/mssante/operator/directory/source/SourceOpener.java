package fr.mssante.operator.directory.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a local {@code .txt} or {@code .zip}, or downloads an {@code https://} (or {@code http://}) URL first. Zips are
 * opened with {@link ZipFile}, which reads the central directory at the end of the file: a truncated download is
 * rejected before a single row is loaded. Downloads are bounded ({@link DownloadLimits}): at most
 * {@code maxBytes} (an announced {@code Content-Length} beyond it is refused before reading, and the transfer is cut
 * as soon as it passes it), and redirects are followed by this class, not by the HTTP client, only to the same
 * scheme, host and port (an {@code https} URL is never sent on to {@code http}, nor to another host) and at most
 * {@code maxRedirects} times.
 */
public final class SourceOpener {

    private static final Logger LOG = LoggerFactory.getLogger(SourceOpener.class);
    private static final Pattern FILENAME = Pattern.compile("filename\\*?=\"?(?:UTF-8'')?([^\";]+)\"?");

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final HttpClient http;
    private final Path downloadDirectory;
    private final DownloadLimits limits;

    /**
     * @param http client for URLs, which must not follow redirects itself ({@link HttpClient.Redirect#NEVER}); give it
     *             an SSLContext trusting the IGC-Santé roots for the ANS endpoint
     * @param downloadDirectory where downloads are kept while they are imported
     */
    public SourceOpener(HttpClient http, Path downloadDirectory, DownloadLimits limits) {
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the HTTP client must not follow redirects: SourceOpener follows same-host ones itself");
        }
        this.http = http;
        this.downloadDirectory = downloadDirectory;
        this.limits = limits;
    }

    public SourceOpener(HttpClient http, Path downloadDirectory) {
        this(http, downloadDirectory, DownloadLimits.DEFAULT);
    }

    public static SourceOpener withDefaults() {
        return withDefaults(DownloadLimits.DEFAULT);
    }

    public static SourceOpener withDefaults(DownloadLimits limits) {
        HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
        return new SourceOpener(client, Path.of(System.getProperty("java.io.tmpdir")), limits);
    }

    public OpenedSource open(String fileOrUrl) throws IOException {
        String lower = fileOrUrl.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            return download(URI.create(fileOrUrl));
        }
        Path path = Path.of(fileOrUrl);
        return openFile(path, path.getFileName().toString(), null);
    }

    private OpenedSource download(URI uri) throws IOException {
        Files.createDirectories(downloadDirectory);
        Path target = Files.createTempFile(downloadDirectory, "directory-", ".download");
        HttpResponse<InputStream> response;
        URI current = uri;
        try {
            for (int redirects = 0; ; redirects++) {
                HttpRequest request = HttpRequest.newBuilder(current).timeout(Duration.ofMinutes(30)).GET().build();
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (!REDIRECTS.contains(response.statusCode())) {
                    break;
                }
                response.body().close();
                URI next = redirectTarget(current, response);
                if (redirects >= limits.maxRedirects()) {
                    throw new IOException("download refused: more than " + limits.maxRedirects() + " redirects from " + safe(uri));
                }
                current = next;
            }
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("download failed: HTTP " + response.statusCode() + " for " + safe(current));
            }
            long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (announced > limits.maxBytes()) {
                response.body().close();
                throw new IOException("download refused: " + safe(current) + " announces " + announced
                    + " bytes, more than the cap of " + limits.maxBytes() + " bytes (MSS_DIRECTORY_DOWNLOAD_MAX_BYTES)");
            }
            copyCapped(response.body(), target, current);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Files.deleteIfExists(target);
            throw new IOException("download interrupted", e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(target);
            throw e;
        }
        URI downloaded = current;
        String name = response.headers().firstValue("Content-Disposition").map(SourceOpener::fileName)
            .orElseGet(() -> lastSegment(downloaded));
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared >= 0 && declared != Files.size(target)) {
            Files.deleteIfExists(target);
            throw new IOException("download truncated: " + Files.size(target) + " of " + declared + " bytes");
        }
        LOG.info("Downloaded {} ({} bytes)", name, Files.size(target));
        try {
            return openFile(target, name, target);
        } catch (IOException e) {
            Files.deleteIfExists(target);
            throw e;
        }
    }

    /** The redirect's target, if it stays on the same scheme, host and port; otherwise the download is refused. */
    private static URI redirectTarget(URI from, HttpResponse<?> response) throws IOException {
        String location = response.headers().firstValue("Location")
            .orElseThrow(() -> new IOException("download failed: HTTP " + response.statusCode() + " without Location from " + safe(from)));
        URI next;
        try {
            next = from.resolve(location.trim());
        } catch (IllegalArgumentException e) {
            throw new IOException("download refused: unreadable redirect Location from " + safe(from), e);
        }
        boolean sameScheme = from.getScheme().equalsIgnoreCase(String.valueOf(next.getScheme()));
        boolean sameHost = next.getHost() != null && from.getHost().equalsIgnoreCase(next.getHost());
        if (!sameScheme || !sameHost || port(from) != port(next) || next.getRawUserInfo() != null) {
            throw new IOException("download refused: " + safe(from) + " redirects to " + safe(next)
                + "; only redirects to the same scheme, host and port are followed");
        }
        return next;
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Scheme, host, port and path only: never a query string (it may carry a key) in a message or a log. */
    private static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
            + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private void copyCapped(InputStream body, Path target, URI from) throws IOException {
        try (InputStream in = body; OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int read; (read = in.read(buffer)) != -1; ) {
                total += read;
                if (total > limits.maxBytes()) {
                    throw new IOException("download refused: " + safe(from) + " sends more than the cap of " + limits.maxBytes()
                        + " bytes (MSS_DIRECTORY_DOWNLOAD_MAX_BYTES); stopped");
                }
                out.write(buffer, 0, read);
            }
        }
    }

    private static OpenedSource openFile(Path path, String name, Path downloaded) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("not a file: " + path);
        }
        if (!isZip(path)) {
            SourceEntry entry = new SourceEntry(name, Files.size(path), () -> Files.newInputStream(path));
            return new OpenedSource(name, List.of(entry), null, downloaded);
        }
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw new IOException("truncated or corrupt zip " + name + ": " + e.getMessage(), e);
        }
        List<SourceEntry> entries = new ArrayList<>();
        zip.stream()
            .filter(e -> !e.isDirectory() && e.getName().toLowerCase(Locale.ROOT).endsWith(".txt"))
            .sorted(Comparator.comparing(ZipEntry::getName))
            .forEach(e -> entries.add(new SourceEntry(e.getName(), e.getSize(),
                () -> new CrcCheckingInputStream(zip.getInputStream(e), e.getName(), e.getCrc(), e.getSize()))));
        if (entries.isEmpty()) {
            zip.close();
            throw new IOException("zip " + name + " holds no .txt file");
        }
        return new OpenedSource(name, List.copyOf(entries), zip, downloaded);
    }

    private static boolean isZip(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }

    static String fileName(String contentDisposition) {
        Matcher m = FILENAME.matcher(contentDisposition);
        if (!m.find()) {
            return "download";
        }
        String name = m.group(1).trim();
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        return name.isEmpty() || name.equals("..") ? "download" : name;
    }

    private static String lastSegment(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            return "download";
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
