package fr.mssante.operator.extensions.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;

import javax.mail.MessagingException;

import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.extensions.testing.InMemoryMailQueue;

class RetryWhenDatabaseUnavailableTest {
    private final InMemoryMailQueue spool = new InMemoryMailQueue(MailQueueName.of("spool"));

    private RetryWhenDatabaseUnavailable mailet() throws MessagingException {
        RetryWhenDatabaseUnavailable mailet = new RetryWhenDatabaseUnavailable(spool.factory());
        mailet.init(FakeMailetConfig.builder().mailetName("RetryWhenDatabaseUnavailable")
            .mailetContext(FakeMailContext.defaultContext())
            .setProperty("retryDelay", "PT45S").setProperty("otherwise", "error").build());
        return mailet;
    }

    private static FakeMail failedIn(String processor, Exception failure) throws MessagingException {
        FakeMail mail = FakeMail.builder().name("m-" + processor).sender("alice@demo.mss.test")
            .recipient("bruno@demo.mss.test").state("mailet-failed").build();
        mail.setAttribute(new Attribute(RetryWhenDatabaseUnavailable.PROCESSOR, AttributeValue.of(processor)));
        mail.setAttribute(new Attribute(Mail.MAILET_ERROR, AttributeValue.ofUnserializable(failure)));
        return mail;
    }

    @Test
    void aMailWhoseMailetFoundTheDatabaseUnreachableGoesBackToItsProcessorLaterAndNeverToError() throws Exception {
        Exception outage = new MessagingException("store failed",
            new SQLException("Connection to localhost:15432 refused", "08001", new ConnectException("refused")));
        FakeMail mail = failedIn("local-delivery", outage);

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(spool.delayed).singleElement().satisfies(retry -> {
            assertThat(retry.delay()).isEqualTo(Duration.ofSeconds(45));
            assertThat(retry.mail().getState()).isEqualTo("local-delivery");
            assertThat(retry.mail().getAttribute(Mail.MAILET_ERROR)).isEmpty();
            assertThat(retry.mail().getAttribute(RetryWhenDatabaseUnavailable.WAITS))
                .hasValueSatisfying(waits -> assertThat(waits.getValue().value()).isEqualTo(1));
        });
    }

    @Test
    void theRetriedMailKeepsItsNameAndWhatItHasAlreadyDone() throws Exception {
        FakeMail mail = failedIn("local-delivery", new MessagingException("store failed",
            new SQLException("FATAL: terminating connection due to administrator command", "57P01")));
        mail.setState("local-delivery");
        MailEffects.record(mail, "stored", new org.apache.james.core.MailAddress("bruno@demo.mss.test"));
        mail.setState("mailet-failed");

        mailet().service(mail);

        assertThat(spool.delayed).singleElement().satisfies(retry -> {
            assertThat(retry.mail().getName()).isEqualTo("m-local-delivery");
            assertThat(MailEffects.done(retry.mail(), "stored", new org.apache.james.core.MailAddress("bruno@demo.mss.test"))).isTrue();
        });
    }

    @Test
    void anyOtherFailureGoesToErrorAsBefore() throws Exception {
        FakeMail mail = failedIn("transport", new MessagingException("unparsable address"));

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo("error");
        assertThat(spool.delayed).isEmpty();
    }

    @Test
    void badParametersFailAtStartup() {
        assertThatThrownBy(() -> new RetryWhenDatabaseUnavailable(spool.factory()).init(FakeMailetConfig.builder()
            .mailetName("RetryWhenDatabaseUnavailable").mailetContext(FakeMailContext.defaultContext())
            .setProperty("retryDelay", "30 seconds").build())).isInstanceOf(MessagingException.class)
            .hasMessageContaining("retryDelay");
        assertThatThrownBy(() -> new RetryWhenDatabaseUnavailable(spool.factory()).init(FakeMailetConfig.builder()
            .mailetName("RetryWhenDatabaseUnavailable").mailetContext(FakeMailContext.defaultContext())
            .setProperty("retryDelai", "PT30S").build())).isInstanceOf(MessagingException.class);
    }
}
