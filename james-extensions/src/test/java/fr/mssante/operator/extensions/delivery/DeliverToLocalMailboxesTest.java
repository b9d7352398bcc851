package fr.mssante.operator.extensions.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.Mail;
import org.apache.mailet.PerRecipientHeaders;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.database.DatabaseOutage;
import fr.mssante.operator.extensions.database.MailEffects;

/**
 * {@link DeliverToLocalMailboxes} against a scripted store: a recipient is stored once, whatever happens to the
 * others and however many times the processor runs again for the mail.
 */
class DeliverToLocalMailboxesTest {
    private static final MailAddress ALICE = address("alice.martin@demo.mss.test");
    private static final MailAddress BRUNO = address("bruno.durand@demo.mss.test");

    /** What was stored, per recipient, with the headers the stored copy had. */
    record Stored(MailAddress recipient, List<String> deliveredTo, List<String> returnPath, List<String> perRecipient) {
    }

    private final List<Stored> stored = new ArrayList<>();
    private final Set<MailAddress> unreachable = new HashSet<>();
    private final Set<MailAddress> broken = new HashSet<>();
    private final FakeMailContext context = FakeMailContext.defaultContext();

    private final DeliverToLocalMailboxes.RecipientStore store = (recipient, mail) -> {
        if (unreachable.contains(recipient)) {
            throw new IllegalStateException("Cannot append", new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        }
        if (broken.contains(recipient)) {
            throw new MessagingException("mailbox quota exceeded");
        }
        stored.add(new Stored(recipient, headers(mail, "Delivered-To"), headers(mail, "Return-Path"), headers(mail, "X-For-Recipient")));
    };

    private DeliverToLocalMailboxes mailet() throws MessagingException {
        DeliverToLocalMailboxes mailet = new DeliverToLocalMailboxes(store);
        mailet.init(FakeMailetConfig.builder().mailetName("DeliverToLocalMailboxes").mailetContext(context).build());
        return mailet;
    }

    private static FakeMail mail() throws MessagingException {
        return FakeMail.builder().name("mail-1").sender("dr.a@hopital.test").recipients(ALICE, BRUNO).state("local-delivery")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("Compte rendu").setText("texte")).build();
    }

    @Test
    void eachRecipientGetsOneCopyWithItsOwnDeliveredToAndTheMailIsNotConsumed() throws Exception {
        FakeMail mail = mail();
        mail.addSpecificHeaderForRecipient(PerRecipientHeaders.Header.builder().name("X-For-Recipient").value("bruno").build(), BRUNO);

        mailet().service(mail);

        assertThat(stored).extracting(Stored::recipient).containsExactly(ALICE, BRUNO);
        assertThat(stored.get(0).deliveredTo()).containsExactly(ALICE.asString());
        assertThat(stored.get(0).perRecipient()).isEmpty();
        assertThat(stored.get(1).deliveredTo()).containsExactly(BRUNO.asString());
        assertThat(stored.get(1).perRecipient()).containsExactly("bruno");
        assertThat(stored.get(1).returnPath()).containsExactly("<dr.a@hopital.test>");
        assertThat(mail.getMessage().getHeader("Delivered-To")).isNull();
        assertThat(mail.getMessage().getHeader("X-For-Recipient")).isNull();
        assertThat(mail.getState()).isEqualTo("local-delivery");
        assertThat(mail.getRecipients()).containsExactly(ALICE, BRUNO);
    }

    @Test
    void theDatabaseLostAfterTheFirstRecipientFailsTheMailAndTheRetryStoresOnlyTheSecond() throws Exception {
        FakeMail mail = mail();
        unreachable.add(BRUNO);

        assertThatThrownBy(() -> mailet().service(mail)).isInstanceOf(MessagingException.class)
            .satisfies(failure -> assertThat(DatabaseOutage.isTransient(failure)).as("an outage, for mailet-failed").isTrue());
        assertThat(stored).extracting(Stored::recipient).containsExactly(ALICE);
        assertThat(MailEffects.done(mail, DeliverToLocalMailboxes.STORED, ALICE)).isTrue();
        assertThat(mail.getRecipients()).containsExactly(ALICE, BRUNO);
        assertThat(context.getSentMails()).isEmpty();

        // PostgreSQL is back; the mail (a copy, with its notes) runs through local-delivery again
        unreachable.clear();
        Mail again = mail.duplicate();
        again.setState("local-delivery");
        mailet().service(again);
        mailet().service(again);

        assertThat(stored).extracting(Stored::recipient).containsExactly(ALICE, BRUNO);
        assertThat(again.getMessage().getHeader("Delivered-To")).isNull();
    }

    @Test
    void aRecipientThatCannotBeStoredForAnotherReasonGoesToErrorAloneAndTheOthersGoOn() throws Exception {
        FakeMail mail = mail();
        broken.add(ALICE);

        mailet().service(mail);

        assertThat(stored).extracting(Stored::recipient).containsExactly(BRUNO);
        assertThat(mail.getRecipients()).containsExactly(BRUNO);
        assertThat(mail.getState()).isEqualTo("local-delivery");
        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getRecipients()).containsExactly(ALICE);
            assertThat(sent.getState()).isEqualTo("error");
        });
    }

    @Test
    void aMailWhoseEveryRecipientFailedForGoodIsConsumed() throws Exception {
        FakeMail mail = mail();
        broken.add(ALICE);
        broken.add(BRUNO);

        mailet().service(mail);

        assertThat(stored).isEmpty();
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).singleElement()
            .satisfies(sent -> assertThat(sent.getRecipients()).containsExactly(ALICE, BRUNO));
    }

    @Test
    void anUnknownParameterFailsAtStartup() {
        assertThatThrownBy(() -> new DeliverToLocalMailboxes(store).init(FakeMailetConfig.builder()
            .mailetName("DeliverToLocalMailboxes").mailetContext(context).setProperty("consume", "false").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("consume");
    }

    private static List<String> headers(Mail mail, String name) throws MessagingException {
        String[] values = mail.getMessage().getHeader(name);
        return values == null ? List.of() : List.of(values);
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
