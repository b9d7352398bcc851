package fr.mssante.operator.extensions.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.smime.decrypt.MessageDecryptor;
import fr.mssante.operator.smime.encrypt.EncryptOptions;
import fr.mssante.operator.smime.encrypt.MessageEncryptor;
import fr.mssante.operator.smime.keystore.KeyStoreRepository;
import fr.mssante.operator.smime.keystore.PrivateKeyStore;
import fr.mssante.operator.smime.testing.TestMessages;
import fr.mssante.operator.smime.testing.TestPki;

/**
 * {@link DecryptForLocalRecipients} with James's mailet test kit: one copy per recipient, each decrypted with that
 * recipient's own key only; what cannot be decrypted is delivered as sent, marked.
 */
class DecryptForLocalRecipientsTest {
    private static final TestPki PKI = TestPki.create("Extensions Test Root");
    private static final String ALICE = "alice@demo.mss.test";
    private static final String BRUNO = "bruno@demo.mss.test";
    private static final String CLAIRE = "claire@demo.mss.test";
    private static final TestPki.Issued ALICE_ID = PKI.issue(ALICE);
    private static final TestPki.Issued BRUNO_ID = PKI.issue(BRUNO);
    private static final PrivateKeyStore KEYS = owner -> switch (owner) {
        case ALICE -> List.of(ALICE_ID.entry(ALICE));
        case BRUNO -> List.of(BRUNO_ID.entry(BRUNO));
        default -> List.of();
    };

    private final FakeMailContext context = FakeMailContext.defaultContext();

    private DecryptForLocalRecipients mailet(PrivateKeyStore keys) throws MessagingException {
        DecryptForLocalRecipients mailet = new DecryptForLocalRecipients(new MessageDecryptor(keys));
        mailet.init(FakeMailetConfig.builder().mailetName("DecryptForLocalRecipients").mailetContext(context).build());
        return mailet;
    }

    private static MimeMessage encryptedFor(TestPki.Issued... recipients) {
        MimeMessage clear = TestMessages.text("dr.house@a.mss.test", ALICE, "Glycémie 1,2 g/L\r\n");
        return TestMessages.roundTrip(new MessageEncryptor().encrypt(clear,
            java.util.Arrays.stream(recipients).map(TestPki.Issued::certificate).toList(), EncryptOptions.DEFAULT).orElseThrow());
    }

    @Test
    void eachRecipientGetsItsOwnCopyDecryptedWithItsOwnKey() throws Exception {
        FakeMail mail = FakeMail.builder().name("enc-1").sender("dr.house@a.mss.test").recipients(ALICE, BRUNO)
            .mimeMessage(encryptedFor(ALICE_ID, BRUNO_ID)).state("local-delivery").build();

        mailet(KEYS).service(mail);

        assertThat(mail.getRecipients()).containsExactly(new MailAddress(ALICE));
        assertThat(mail.getMessage().getHeader(DecryptForLocalRecipients.HEADER, null)).isEqualTo("decrypted");
        assertThat(TestMessages.string(mail.getMessage())).contains("Glyc").doesNotContain("pkcs7-mime");
        assertThat(mail.getAttribute(DecryptForLocalRecipients.DECRYPTED_FOR)).map(Attribute::getValue)
            .contains(AttributeValue.of(ALICE));
        assertThat(DecryptForLocalRecipients.decryptedHere(mail.getMessage())).isTrue();
        // Bruno's copy goes back into the processor still encrypted, to be decrypted there for him alone
        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getRecipients()).containsExactly(new MailAddress(BRUNO));
            assertThat(sent.getState()).isEqualTo("local-delivery");
            assertThat(sent.getMsg().getContentType()).contains("pkcs7-mime");
        });
        FakeMail brunoCopy = FakeMail.builder().name("enc-1-bruno").recipients(BRUNO)
            .mimeMessage(context.getSentMails().get(0).getMsg()).state("local-delivery").build();
        mailet(KEYS).service(brunoCopy);
        assertThat(brunoCopy.getAttribute(DecryptForLocalRecipients.DECRYPTED_FOR)).map(Attribute::getValue)
            .contains(AttributeValue.of(BRUNO));
    }

    @Test
    void aRecipientTheMessageWasNotEncryptedForGetsItAsSentMarkedNoKey() throws Exception {
        FakeMail mail = FakeMail.builder().name("enc-2").sender("dr.house@a.mss.test").recipients(CLAIRE)
            .mimeMessage(encryptedFor(ALICE_ID)).build();

        mailet(KEYS).service(mail);

        assertThat(mail.getMessage().getHeader(DecryptForLocalRecipients.HEADER, null)).isEqualTo("no-key");
        assertThat(mail.getMessage().getContentType()).contains("pkcs7-mime");
        assertThat(mail.getAttribute(DecryptForLocalRecipients.DECRYPTED_FOR)).isEmpty();
    }

    @Test
    void withTheKeyStoreDownTheMailIsDeliveredStillEncryptedMarkedDeferred() throws Exception {
        FakeMail mail = FakeMail.builder().name("enc-3").sender("dr.house@a.mss.test").recipients(ALICE)
            .mimeMessage(encryptedFor(ALICE_ID)).build();

        mailet(owner -> {
            throw new KeyStoreRepository.KeyStoreException("database down", null);
        }).service(mail);

        assertThat(mail.getMessage().getHeader(DecryptForLocalRecipients.HEADER, null)).isEqualTo("deferred");
        assertThat(mail.getMessage().getContentType()).contains("pkcs7-mime");
    }

    @Test
    void clearMailIsLeftAlone() throws Exception {
        FakeMail mail = FakeMail.builder().name("enc-4").sender("dr.house@a.mss.test").recipients(ALICE, BRUNO)
            .mimeMessage(TestMessages.text("dr.house@a.mss.test", ALICE, "Bonjour\r\n")).build();

        mailet(KEYS).service(mail);

        assertThat(mail.getRecipients()).hasSize(2);
        assertThat(mail.getMessage().getHeader(DecryptForLocalRecipients.HEADER)).isNull();
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void anUnknownParameterFailsAtStartup() {
        DecryptForLocalRecipients mailet = new DecryptForLocalRecipients(new MessageDecryptor(KEYS));
        assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("DecryptForLocalRecipients")
            .setProperty("keys", "x").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("keys");
    }
}
