package fr.mssante.operator.directory.lookup;

import fr.mssante.operator.directory.load.DirectoryImporter;
import fr.mssante.operator.directory.load.ImportListener;
import fr.mssante.operator.directory.load.ImportOptions;
import fr.mssante.operator.directory.load.ImportStatus;
import fr.mssante.operator.directory.source.SourceOpener;
import fr.mssante.operator.directory.testing.EmbeddedDirectory;
import fr.mssante.operator.directory.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DirectoryLookupTest {

    private static EmbeddedDirectory postgres;
    private static DirectoryLookup lookup;
    private static Path dir;

    @BeforeAll
    static void importFixture() throws Exception {
        postgres = EmbeddedDirectory.start();
        var db = postgres.newDatabase();
        dir = Files.createTempDirectory("directory-lookup");
        List<String> lines = new ArrayList<>(List.of(
            Fixtures.mailbox("PER", "Helene.Dupont@medecin.mssante.fr", "810001234567", "DUPONT", "Hélène", "10",
                "Médecin", "SM54", "Médecine Générale", null, "42000", "SAINT-ÉTIENNE"),
            Fixtures.mailbox("PER", "helene.dupont@chu-lyon.mssante.fr", "810001234567", "DUPONT", "Hélène", "10",
                "Médecin", "SM54", "Médecine Générale", null, "69003", "LYON"),
            Fixtures.mailbox("PER", "h.martin@infirmier.mssante.fr", "810009999999", "MARTIN", "HELENE", "60",
                "Infirmier", null, null, null, "75014", "PARIS"),
            Fixtures.mailbox("ORG", "accueil@ch-beziers.mssante.fr", null, null, null, null, null, null, null,
                "CENTRE HOSPITALIER DE BÉZIERS", "34500", "BÉZIERS")));
        for (int i = 0; i < 25; i++) {
            lines.add(Fixtures.mailbox("PER", "kine" + i + "@masseur-kinesitherapeute.mssante.fr", "8100055500" + (10 + i),
                "LEFÈVRE", "Zoé", "70", "Masseur-Kinésithérapeute", null, null, null, "25000", "BESANÇON"));
        }
        Path file = Fixtures.mailboxFile(dir, "Extraction_Correspondance_MSSante.txt", lines);
        var importer = new DirectoryImporter(db, new SourceOpener(java.net.http.HttpClient.newHttpClient(), dir),
            Clock.systemUTC());
        assertThat(importer.importSource(file.toString(), ImportOptions.defaults(), ImportListener.NONE))
            .singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(ImportStatus.APPLIED));
        lookup = new DirectoryLookup(db);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"helene.dupont@medecin.mssante.fr", "HELENE.DUPONT@MEDECIN.MSSANTE.FR", " Helene.Dupont@medecin.mssante.fr "})
    void findsAMailboxByAddressIgnoringCase(String address) throws Exception {
        assertThat(lookup.byAddress(address)).hasValueSatisfying(m -> {
            assertThat(m.address()).isEqualTo("Helene.Dupont@medecin.mssante.fr");
            assertThat(m.kind()).isEqualTo("PER");
            assertThat(m.nationalId()).isEqualTo("810001234567");
            assertThat(m.profession()).isEqualTo("Médecin");
            assertThat(m.city()).isEqualTo("SAINT-ÉTIENNE");
            assertThat(m.displayName()).isEqualTo("Hélène DUPONT");
        });
        assertThat(lookup.byAddress("nobody@medecin.mssante.fr")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"810001234567", "10001234567"})
    void findsTheMailboxesOfANationalId(String id) throws Exception {
        assertThat(lookup.byNationalId(id)).hasValueSatisfying(p -> {
            assertThat(p.nationalId()).isEqualTo("810001234567");
            assertThat(p.mailboxes()).extracting(MailboxEntry::address).containsExactlyInAnyOrder(
                "Helene.Dupont@medecin.mssante.fr", "helene.dupont@chu-lyon.mssante.fr");
        });
        assertThat(lookup.byNationalId("12345")).isEmpty();
        assertThat(lookup.byNationalId("899999999999")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Hélène", "HELENE", "helene", "hélè"})
    void nameSearchIgnoresAccentsAndCase(String name) throws Exception {
        assertThat(lookup.search(SearchQuery.byName(name)).items()).extracting(MailboxEntry::address)
            .containsExactlyInAnyOrder("Helene.Dupont@medecin.mssante.fr", "helene.dupont@chu-lyon.mssante.fr",
                "h.martin@infirmier.mssante.fr");
    }

    @Test
    void everyWordAndCriterionMustMatch() throws Exception {
        assertThat(lookup.search(SearchQuery.byName("dupont hélène").withCity("saint etienne")).items())
            .extracting(MailboxEntry::address).containsExactly("Helene.Dupont@medecin.mssante.fr");
        assertThat(lookup.search(SearchQuery.byName("helene").withProfession("infirmier")).items())
            .extracting(MailboxEntry::address).containsExactly("h.martin@infirmier.mssante.fr");
        assertThat(lookup.search(SearchQuery.byName("helene").withProfession("10").withSpecialty("médecine générale"))
            .items()).hasSize(2);
        assertThat(lookup.search(SearchQuery.byName("beziers")).items()).extracting(MailboxEntry::kind)
            .containsExactly("ORG");
        assertThat(lookup.search(new SearchQuery(null, null, null, "BÉZIERS", "ORG", 0, 10)).items()).hasSize(1);
        assertThat(lookup.search(SearchQuery.byName("helene").withCity("marseille")).items()).isEmpty();
    }

    @Test
    void searchIsPaginated() throws Exception {
        SearchQuery query = SearchQuery.byName("zoe lefevre").withCity("besancon");
        Page<MailboxEntry> first = lookup.search(query.page(0, 10));
        Page<MailboxEntry> third = lookup.search(query.page(20, 10));

        assertThat(first.items()).hasSize(10);
        assertThat(first.hasMore()).isTrue();
        assertThat(third.items()).hasSize(5);
        assertThat(third.hasMore()).isFalse();
        List<String> all = new ArrayList<>();
        for (int offset = 0; offset < 25; offset += 10) {
            lookup.search(query.page(offset, 10)).items().forEach(m -> all.add(m.address()));
        }
        assertThat(all).hasSize(25).doesNotHaveDuplicates();
    }
}
