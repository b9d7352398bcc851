package fr.mssante.operator.server.wiring;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.jms.JMSException;

import org.apache.activemq.blob.BlobUploadStrategy;
import org.apache.activemq.command.ActiveMQBlobMessage;

/**
 * The mail queue's blob upload (the message body, written by James's {@code FileSystemBlobStrategy} under
 * {@code var/store/activemq/blob-transfer/<n>/}), made durable: once the file is written it is forced to disk, then
 * its directory (so that the new name survives a power loss too), and the first time a directory is seen its parent
 * as well (the split directories are created on first use). ActiveMQ uploads a blob message's body before it sends
 * the message, and James's queue sends synchronously and persistently (KahaDB syncs its journal), so SMTP's 250 now
 * comes after both the body and the queue entry are on disk. James 3.8.1 only flushes the stream (issue 16 #4).
 */
final class DurableBlobUploadStrategy implements BlobUploadStrategy {
    /** Forces a file or a directory to disk (the seam tests count). */
    interface Sync {
        void force(Path path) throws IOException;
    }

    /** fsync(2) of a regular file or of a directory (Linux accepts fsync on a directory opened read-only). */
    static final Sync FSYNC = path -> {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    };

    private final BlobUploadStrategy delegate;
    private final Sync sync;
    private final Set<Path> knownDirectories = ConcurrentHashMap.newKeySet();

    DurableBlobUploadStrategy(BlobUploadStrategy delegate, Sync sync) {
        this.delegate = delegate;
        this.sync = sync;
    }

    @Override
    public URL uploadFile(ActiveMQBlobMessage message, File file) throws JMSException, IOException {
        return forced(delegate.uploadFile(message, file));
    }

    @Override
    public URL uploadStream(ActiveMQBlobMessage message, InputStream in) throws JMSException, IOException {
        return forced(delegate.uploadStream(message, in));
    }

    private URL forced(URL url) throws IOException {
        Path file;
        try {
            file = Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("The mail queue wrote its blob to an unexpected place: " + url, e);
        }
        Path directory = file.getParent();
        boolean first = knownDirectories.add(directory);
        try {
            sync.force(file);
            sync.force(directory);
            if (first && directory.getParent() != null) {
                sync.force(directory.getParent());
            }
        } catch (IOException | UncheckedIOException e) {
            // the send fails (SMTP answers 4xx): leave no body that no queue entry will ever name
            knownDirectories.remove(directory);
            Files.deleteIfExists(file);
            throw e;
        }
        return url;
    }
}
