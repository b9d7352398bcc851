package fr.mssante.operator.extensions.smtp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MaybeSender;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses new mail with {@code 452 4.3.1} (insufficient system storage: the sender keeps it and retries) while the
 * data volume ({@code var/store}: the mail queue, and the embedded PostgreSQL) has less than {@code <minFreeSpace>}
 * (MSS_MIN_FREE_SPACE) usable: at MAIL FROM, and again at the end of DATA with the message's own size counted, so
 * that a mail is never accepted (250) that the queue could not store, and the space left lets the mails already
 * accepted be delivered. Accepting starts again by itself once space is back (issue 16 #4, the data disk nearly
 * full). Postfix's {@code queue_minfree} does the same. {@code 0} turns the check off.
 *
 * <pre>{@code <handler class="fr.mssante.operator.extensions.smtp.RefuseWhenStorageLow"><minFreeSpace>256M</minFreeSpace></handler>}</pre>
 */
public class RefuseWhenStorageLow implements MailHook, JamesMessageHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(RefuseWhenStorageLow.class);
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([KMG]?)");

    private final LongSupplier usableSpace;
    private long minFreeSpace = 256L << 20;

    @Inject
    public RefuseWhenStorageLow(FileSystem fileSystem) {
        this(() -> usableSpace(dataDirectory(fileSystem)));
    }

    private static Path dataDirectory(FileSystem fileSystem) {
        try {
            return fileSystem.getBasedir().toPath().resolve("var/store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param usableSpace bytes usable on the data volume now */
    public RefuseWhenStorageLow(LongSupplier usableSpace) {
        this.usableSpace = usableSpace;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        for (Iterator<String> keys = config.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("minFreeSpace") && !key.startsWith("[@")) {
                throw new ConfigurationException("RefuseWhenStorageLow: unknown parameter " + key);
            }
        }
        minFreeSpace = parseSize(config.getString("minFreeSpace", "256M"));
    }

    /** {@code 0}, or a number of bytes with an optional unit K, M or G ({@code 256M}). */
    public static long parseSize(String value) throws ConfigurationException {
        Matcher size = SIZE.matcher(value.trim().toUpperCase(Locale.ROOT));
        if (!size.matches()) {
            throw new ConfigurationException("RefuseWhenStorageLow: minFreeSpace must be a size such as 256M, got '" + value + "'");
        }
        int shift = switch (size.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        return Long.parseLong(size.group(1)) << shift;
    }

    public long minFreeSpace() {
        return minFreeSpace;
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        return check(0);
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        long size;
        try {
            size = mail.getMessageSize();
        } catch (MessagingException e) {
            size = 0;
        }
        return check(size);
    }

    private HookResult check(long needed) {
        if (minFreeSpace <= 0) {
            return HookResult.DECLINED;
        }
        long usable;
        try {
            usable = usableSpace.getAsLong();
        } catch (UncheckedIOException e) {
            LOGGER.warn("Cannot read the free space of the data volume: {}", e.getMessage());
            usable = -1;
        }
        if (usable >= 0 && usable - needed >= minFreeSpace) {
            return HookResult.DECLINED;
        }
        LOGGER.warn("Mail refused for now: {} MiB usable on the data volume, at least {} MiB must stay free (MSS_MIN_FREE_SPACE)",
            usable >> 20, minFreeSpace >> 20);
        return HookResult.builder().hookReturnCode(HookReturnCode.denySoft())
            .smtpReturnCode(SMTPRetCode.SYSTEM_STORAGE_ERROR)
            .smtpDescription("4.3.1 Insufficient system storage, try again later").build();
    }

    private static long usableSpace(Path directory) {
        try {
            Path existing = directory;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            return Files.getFileStore(existing == null ? directory : existing).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
