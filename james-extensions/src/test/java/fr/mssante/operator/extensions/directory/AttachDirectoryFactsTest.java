package fr.mssante.operator.extensions.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.directory.db.DirectoryDatabase;
import fr.mssante.operator.directory.load.DirectoryImporter;
import fr.mssante.operator.directory.load.ImportListener;
import fr.mssante.operator.directory.load.ImportOptions;
import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.source.SourceOpener;
import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

class AttachDirectoryFactsTest {
    private static EmbeddedPostgres postgres;
    private static String knownAddress;

    @BeforeAll
    static void start(@TempDir Path directory) throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        DirectoryDatabase.migrate(postgres.getPostgresDatabase());
        Path file = directory.resolve("Extraction_Correspondance_MSSante.txt");
        new SyntheticExtractionGenerator(SyntheticExtractionGenerator.Options.defaults()).writeMailboxes(file, 50);
        new DirectoryImporter(postgres.getPostgresDatabase(), SourceOpener.withDefaults(), Clock.systemUTC())
            .importSource(file.toString(), ImportOptions.defaults(), ImportListener.NONE);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int column = Arrays.asList(lines.get(0).replace("\uFEFF", "").split("\\|")).indexOf("Adresse BAL");
        knownAddress = lines.get(1).split("\\|")[column];
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void factsAboutKnownAddressesAreAttachedAndUnknownOnesIgnored() throws Exception {
        AttachDirectoryFacts mailet = new AttachDirectoryFacts(new DirectoryLookup(postgres.getPostgresDatabase()));
        mailet.init(FakeMailetConfig.builder().mailetName("directory").build());
        FakeMail mail = FakeMail.builder().name("m").sender(knownAddress)
            .recipients(new MailAddress(knownAddress), new MailAddress("not.yet.published@hopital.test")).build();

        mailet.service(mail);

        assertThat(mail.getAttribute(AttributeName.of("mss.directory.sender.kind"))).isPresent();
        assertThat(mail.getAttribute(AttributeName.of("mss.directory.sender.nationalId"))).isPresent();
        @SuppressWarnings("unchecked")
        Map<String, AttributeValue<?>> recipients = (Map<String, AttributeValue<?>>) mail
            .getAttribute(AttributeName.of("mss.directory.recipients")).orElseThrow().getValue().value();
        assertThat(recipients).containsOnlyKeys(knownAddress.toLowerCase());
        assertThat(mail.getState()).isNotEqualTo(org.apache.mailet.Mail.GHOST);
    }

    @Test
    void anUnknownParameterFailsAtStartup() {
        AttachDirectoryFacts mailet = new AttachDirectoryFacts(new DirectoryLookup(postgres.getPostgresDatabase()));
        assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("directory").setProperty("cache", "true").build()))
            .isInstanceOf(javax.mail.MessagingException.class).hasMessageContaining("cache");
    }
}
