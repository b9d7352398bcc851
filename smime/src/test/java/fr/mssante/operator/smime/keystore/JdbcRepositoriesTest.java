package fr.mssante.operator.smime.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.smime.encrypt.CertificateRepository;
import fr.mssante.operator.smime.policy.EncryptMode;
import fr.mssante.operator.smime.policy.PolicyRepository;
import fr.mssante.operator.smime.policy.PolicyResolver;
import fr.mssante.operator.smime.policy.PolicyScope;
import fr.mssante.operator.smime.policy.PolicySettings;
import fr.mssante.operator.smime.policy.SignMode;
import fr.mssante.operator.smime.testing.SmimeDatabase;
import fr.mssante.operator.smime.testing.TestPki;

class JdbcRepositoriesTest {
    private static final TestPki PKI = TestPki.create("MSS Test Root");
    private static final TestPki.Issued BOB = PKI.issue("bob@b.mss.test");
    private static final TestPki.Issued INTERMEDIATE = PKI.issue("int@b.mss.test");
    private static SmimeDatabase database;

    private DataSource dataSource;
    private final MasterKey masterKey = MasterKey.random();

    @BeforeAll
    static void start() throws Exception {
        database = SmimeDatabase.start();
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
    }

    @BeforeEach
    void migrate() throws Exception {
        dataSource = database.newDatabase();
    }

    @Test
    void storesAndReadsBackAKeyEntry() {
        KeyStoreRepository repository = new KeyStoreRepository(dataSource, masterKey);

        repository.store("Bob@B.mss.test", BOB.certificate(), List.of(INTERMEDIATE.certificate()), BOB.key());

        List<KeyEntry> entries = repository.keysFor("bob@b.mss.test");
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.owner()).isEqualTo("bob@b.mss.test");
            assertThat(e.certificate()).isEqualTo(BOB.certificate());
            assertThat(e.chain()).containsExactly(INTERMEDIATE.certificate());
            assertThat(e.privateKey().getEncoded()).isEqualTo(BOB.key().getEncoded());
            assertThat(e.toString()).doesNotContain("modulus").doesNotContain("private exponent");
        });
        assertThat(repository.keysFor("nobody@b.mss.test")).isEmpty();
    }

    @Test
    void privateKeyIsEncryptedAtRest() throws Exception {
        new KeyStoreRepository(dataSource, masterKey).store("bob@b.mss.test", BOB.certificate(), List.of(), BOB.key());

        byte[] sealed = column("SELECT sealed_key FROM mss.smime_key");
        byte[] pkcs8 = BOB.key().getEncoded();

        assertThat(sealed[0]).isEqualTo((byte) 1);
        assertThat(indexOf(sealed, java.util.Arrays.copyOfRange(pkcs8, 30, 62))).isEqualTo(-1);
    }

    @Test
    void anotherMasterKeyCannotOpenTheKeys() {
        new KeyStoreRepository(dataSource, masterKey).store("bob@b.mss.test", BOB.certificate(), List.of(), BOB.key());

        KeyStoreRepository other = new KeyStoreRepository(dataSource, MasterKey.random());

        assertThatThrownBy(() -> other.keysFor("bob@b.mss.test")).isInstanceOf(KeyStoreRepository.KeyStoreException.class);
    }

    @Test
    void aSealedKeyMovedToAnotherOwnerDoesNotOpen() throws Exception {
        KeyStoreRepository repository = new KeyStoreRepository(dataSource, masterKey);
        repository.store("bob@b.mss.test", BOB.certificate(), List.of(), BOB.key());
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE mss.smime_key SET owner = 'mallory@b.mss.test'");
        }

        assertThatThrownBy(() -> repository.keysFor("mallory@b.mss.test")).isInstanceOf(KeyStoreRepository.KeyStoreException.class);
    }

    @Test
    void deleteRemovesEveryKeyOfTheOwner() {
        KeyStoreRepository repository = new KeyStoreRepository(dataSource, masterKey);
        repository.store("bob@b.mss.test", BOB.certificate(), List.of(), BOB.key());

        assertThat(repository.deleteAll("BOB@b.mss.test")).isEqualTo(1);
        assertThat(repository.keysFor("bob@b.mss.test")).isEmpty();
    }

    @Test
    void certificateRepositoryFindsByEmail() {
        CertificateRepository repository = new CertificateRepository(dataSource);
        repository.store("Bob@b.mss.test", BOB.certificate(), CertificateRepository.Source.DIRECTORY);
        repository.store("bob@b.mss.test", BOB.certificate(), CertificateRepository.Source.SIGNATURE);

        assertThat(repository.certificatesFor("BOB@B.MSS.TEST")).containsExactly(BOB.certificate());
        assertThat(repository.certificatesFor("carol@b.mss.test")).isEmpty();
    }

    @Test
    void policiesArePersistedAndResolved() {
        PolicyRepository repository = new PolicyRepository(dataSource);
        repository.save(PolicyScope.OPERATOR, "ignored", new PolicySettings(SignMode.ALWAYS, EncryptMode.WHEN_POSSIBLE));
        repository.save(PolicyScope.DOMAIN, "Chu.MSS.test", new PolicySettings(SignMode.INHERIT, EncryptMode.REQUIRED));
        repository.save(PolicyScope.MAILBOX, "x@chu.mss.test", new PolicySettings(SignMode.NEVER, EncryptMode.INHERIT));

        PolicyResolver resolver = new PolicyResolver(repository, new PolicySettings(SignMode.NEVER, EncryptMode.NEVER));

        assertThat(repository.find(PolicyScope.OPERATOR, "")).contains(new PolicySettings(SignMode.ALWAYS, EncryptMode.WHEN_POSSIBLE));
        assertThat(resolver.resolve("x@chu.mss.test")).satisfies(p -> {
            assertThat(p.sign()).isEqualTo(SignMode.NEVER);
            assertThat(p.signOrigin()).isEqualTo("mailbox:x@chu.mss.test");
            assertThat(p.encrypt()).isEqualTo(EncryptMode.REQUIRED);
            assertThat(p.encryptOrigin()).isEqualTo("domain:chu.mss.test");
        });
        assertThat(repository.delete(PolicyScope.DOMAIN, "chu.mss.test")).isTrue();
        assertThat(resolver.resolve("x@chu.mss.test").encrypt()).isEqualTo(EncryptMode.WHEN_POSSIBLE);
        assertThat(repository.find(PolicyScope.DOMAIN, "chu.mss.test")).isEqualTo(Optional.empty());
    }

    @Test
    void masterKeyComesFromTheEnvironment() {
        String base64 = java.util.Base64.getEncoder().encodeToString(new byte[32]);

        assertThat(MasterKey.fromEnvironment(Map.of(MasterKey.ENV, base64))).hasToString("MasterKey[hidden]");
        assertThatThrownBy(() -> MasterKey.fromEnvironment(Map.of())).hasMessageContaining(MasterKey.ENV);
        assertThatThrownBy(() -> MasterKey.fromBase64("AAAA")).hasMessageContaining("32 bytes");
    }

    private byte[] column(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getBytes(1);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
