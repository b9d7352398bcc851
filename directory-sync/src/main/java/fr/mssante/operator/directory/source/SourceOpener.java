package fr.mssante.operator.directory.source;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Opens a local {@code .txt} or {@code .zip}, or downloads an {@code https://} (or {@code http://}) URL first. Zips are
 * opened with {@link ZipFile}, which reads the central directory at the end of the file: a truncated download is
 * rejected before a single row is loaded.
 */
public final class SourceOpener {

    private static final Logger LOG = LoggerFactory.getLogger(SourceOpener.class);
    private static final Pattern FILENAME = Pattern.compile("filename\\*?=\"?(?:UTF-8'')?([^\";]+)\"?");

    private final HttpClient http;
    private final Path downloadDirectory;

    /**
     * @param http client for URLs; give it an SSLContext trusting the IGC-Santé roots for the ANS endpoint
     * @param downloadDirectory where downloads are kept while they are imported
     */
    public SourceOpener(HttpClient http, Path downloadDirectory) {
        this.http = http;
        this.downloadDirectory = downloadDirectory;
    }

    public static SourceOpener withDefaults() {
        HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
        return new SourceOpener(client, Path.of(System.getProperty("java.io.tmpdir")));
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
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET().build();
        HttpResponse<Path> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofFile(target));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Files.deleteIfExists(target);
            throw new IOException("download interrupted", e);
        } catch (IOException e) {
            Files.deleteIfExists(target);
            throw e;
        }
        if (response.statusCode() != 200) {
            Files.deleteIfExists(target);
            throw new IOException("download failed: HTTP " + response.statusCode() + " for " + uri);
        }
        String name = response.headers().firstValue("Content-Disposition").map(SourceOpener::fileName)
            .orElseGet(() -> lastSegment(uri));
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
