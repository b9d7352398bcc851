package fr.mssante.operator.documents.zip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import fr.mssante.operator.documents.content.Content;
import fr.mssante.operator.documents.testing.HostileZips;
import fr.mssante.operator.documents.testing.TestDocuments;

class SafeUnzipperTest {
    private final SafeUnzipper unzipper = new SafeUnzipper();

    private ZipRejectedException refused(SafeUnzipper with, byte[] zip) {
        ZipRejectedException e = catchThrowableOfType(() -> with.unzip(Content.copyOf(zip)), ZipRejectedException.class);
        assertThat(e).as("archive must be refused").isNotNull();
        return e;
    }

    private ZipRejectedException refused(byte[] zip) {
        return refused(unzipper, zip);
    }

    @Test
    void readsEntriesAndFlagsNestedArchives() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("README.TXT", "hello".getBytes(StandardCharsets.US_ASCII));
        entries.put("IHE_XDM/", new byte[0]);
        entries.put("IHE_XDM/SUBSET01/DOC0001.XML", "<a/>".getBytes(StandardCharsets.US_ASCII));
        entries.put("IHE_XDM/SUBSET01/INNER.ZIP", TestDocuments.zip(Map.of("x", new byte[] {1})));
        UnzippedArchive archive = unzipper.unzip(Content.copyOf(TestDocuments.zip(entries)));
        assertThat(archive.entries()).extracting(ArchiveEntry::name)
            .containsExactly("README.TXT", "IHE_XDM/", "IHE_XDM/SUBSET01/DOC0001.XML", "IHE_XDM/SUBSET01/INNER.ZIP");
        assertThat(archive.find("README.TXT").orElseThrow().content().toByteArray()).asString().isEqualTo("hello");
        assertThat(archive.findIgnoreCase("ihe_xdm/subset01/doc0001.xml")).isPresent();
        assertThat(archive.find("IHE_XDM/").orElseThrow().directory()).isTrue();
        ArchiveEntry inner = archive.find("IHE_XDM/SUBSET01/INNER.ZIP").orElseThrow();
        assertThat(inner.nestedArchive()).isTrue();
        assertThat(inner.content().startsWith(new byte[] {'P', 'K', 3, 4})).isTrue();
        assertThat(inner.fileName()).isEqualTo("INNER.ZIP");
        assertThat(archive.files()).hasSize(3);
        assertThat(archive.totalBytes()).isEqualTo(5 + 4 + inner.content().size());
    }

    /** 1 GiB of zeros in one entry (≈1 MiB compressed): refused after about 1 MiB inflated, never 1 GiB. */
    @Test
    void zipBombIsStoppedWhileInflating() {
        byte[] bomb = HostileZips.bomb("IHE_XDM/SUBSET01/DOC0001.XML", 1L << 30);
        assertThat(bomb.length).isLessThan(2 * 1024 * 1024);
        long started = System.nanoTime();
        ZipRejectedException e = refused(bomb);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(e.reason()).isEqualTo(ZipRejection.ZIP_BOMB);
        Matcher inflated = Pattern.compile("inflated (\\d+) bytes").matcher(e.getMessage());
        assertThat(inflated.find()).isTrue();
        assertThat(Long.parseLong(inflated.group(1))).isBetween(1L << 20, 2L << 20);
        assertThat(millis).as("refusal time, ms").isLessThan(5_000);
    }

    @Test
    void regularTextUnderTheGraceIsAccepted() throws Exception {
        byte[] blank = new byte[512 * 1024];
        Arrays.fill(blank, (byte) ' ');
        UnzippedArchive archive = unzipper.unzip(Content.copyOf(TestDocuments.zip(Map.of("blank.txt", blank))));
        assertThat(archive.entries().get(0).content().size()).isEqualTo(512 * 1024);
    }

    @Test
    void entryAndTotalSizesAreMeasured() {
        Random random = new Random(7);
        byte[] mebibyte = new byte[1 << 20];
        random.nextBytes(mebibyte);
        Map<String, byte[]> three = new LinkedHashMap<>();
        three.put("a.bin", mebibyte);
        three.put("b.bin", mebibyte);
        three.put("c.bin", mebibyte);
        byte[] zip = TestDocuments.zip(three);
        assertThat(refused(new SafeUnzipper(ZipLimits.DEFAULT.withMaxEntryBytes(512 * 1024)), zip).reason())
            .isEqualTo(ZipRejection.ENTRY_TOO_LARGE);
        assertThat(refused(new SafeUnzipper(ZipLimits.DEFAULT.withMaxTotalBytes(5L << 19)), zip).reason())
            .isEqualTo(ZipRejection.TOTAL_TOO_LARGE);
    }

    @Test
    void tenThousandEntriesAreCountedBeforeInflating() {
        byte[] zip = HostileZips.manyEntries(10_000);
        ZipRejectedException e = refused(zip);
        assertThat(e.reason()).isEqualTo(ZipRejection.TOO_MANY_ENTRIES);
        assertThat(e.getMessage()).contains("central directory lists 10000 entries, limit 1000");
        // without its central directory, the streaming count stops it too
        byte[] withoutDirectory = Arrays.copyOf(zip, HostileZips.centralDirectoryOffset(zip));
        ZipRejectedException streamed = refused(withoutDirectory);
        assertThat(streamed.reason()).isEqualTo(ZipRejection.TOO_MANY_ENTRIES);
        assertThat(streamed.getMessage()).contains("more than 1000 entries");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "../../evil|PATH_TRAVERSAL",
        "IHE_XDM/../../evil.sh|PATH_TRAVERSAL",
        "/etc/passwd|PATH_TRAVERSAL",
        "..\\..\\evil.bat|PATH_TRAVERSAL",
        "IHE_XDM\\SUBSET01\\DOC.XML|PATH_TRAVERSAL",
        "C:/Windows/evil.dll|PATH_TRAVERSAL",
        "c:evil|PATH_TRAVERSAL",
        "IHE_XDM//DOC.XML|INVALID_NAME",
        "./DOC.XML|INVALID_NAME",
        "DOC\u0001.XML|INVALID_NAME"
    })
    void unsafeNames(String name, ZipRejection reason) {
        assertThat(refused(HostileZips.named(name)).reason()).isEqualTo(reason);
    }

    @Test
    void zipSlipMessageNamesTheEntry() {
        assertThat(refused(HostileZips.named("../../evil")).getMessage()).isEqualTo("PATH_TRAVERSAL: '..' in entry name '../../evil'");
    }

    @Test
    void truncatedArchives() {
        byte[] xdm = TestDocuments.xdmZip("SUBSET01", java.util.List.of(
            TestDocuments.XdmDocument.cda("DOC0001.XML", TestDocuments.cda())), false);
        assertThat(refused(Arrays.copyOf(xdm, xdm.length * 6 / 10)).reason()).isEqualTo(ZipRejection.TRUNCATED);
        assertThat(refused(Arrays.copyOf(xdm, HostileZips.centralDirectoryOffset(xdm))).reason()).isEqualTo(ZipRejection.TRUNCATED);
        assertThat(refused(Arrays.copyOf(xdm, xdm.length - 5)).reason()).isEqualTo(ZipRejection.TRUNCATED);
    }

    @Test
    void duplicateNamesIgnoringCase() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("DOC0001.XML", new byte[] {1});
        entries.put("doc0001.xml", new byte[] {2});
        assertThat(refused(TestDocuments.zip(entries)).reason()).isEqualTo(ZipRejection.DUPLICATE_ENTRY);
        Map<String, byte[]> distinct = new LinkedHashMap<>();
        distinct.put("AAAA.XML", new byte[] {1});
        distinct.put("BBBB.XML", new byte[] {2});
        assertThat(refused(HostileZips.replaceAll(TestDocuments.zip(distinct), "BBBB", "AAAA")).reason())
            .isEqualTo(ZipRejection.DUPLICATE_ENTRY);
    }

    @Test
    void hiddenEntriesAreRefused() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("SHOW.TXT", new byte[] {1});
        entries.put("HIDE.TXT", new byte[] {2});
        byte[] zip = HostileZips.replaceLast(TestDocuments.zip(entries), "HIDE.TXT", "SHOW.PDF");
        assertThat(refused(zip).reason()).isEqualTo(ZipRejection.CENTRAL_DIRECTORY_MISMATCH);
    }

    @Test
    void encryptedEntries() {
        byte[] zip = HostileZips.encryptedFlag(TestDocuments.zip(Map.of("secret.txt", "x".getBytes(StandardCharsets.US_ASCII))));
        assertThat(refused(zip).reason()).isEqualTo(ZipRejection.ENCRYPTED);
    }

    @Test
    void notAZip() {
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        assertThat(refused(noise).reason()).isEqualTo(ZipRejection.NOT_A_ZIP);
        assertThat(refused(new byte[0]).reason()).isEqualTo(ZipRejection.NOT_A_ZIP);
        assertThat(refused("%PDF-1.4 not a zip".getBytes(StandardCharsets.US_ASCII)).reason()).isEqualTo(ZipRejection.NOT_A_ZIP);
    }

    @Test
    void corruptedDataIsMalformed() {
        byte[] zip = TestDocuments.zip(Map.of("data.txt", "some text that deflates somewhat, some text".repeat(50)
            .getBytes(StandardCharsets.US_ASCII)));
        byte[] corrupted = zip.clone();
        for (int i = 60; i < 80; i++) {
            corrupted[i] ^= 0x55;
        }
        assertThat(refused(corrupted).reason()).isIn(ZipRejection.MALFORMED, ZipRejection.TRUNCATED);
    }
}
