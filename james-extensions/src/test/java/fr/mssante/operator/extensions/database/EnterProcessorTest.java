package fr.mssante.operator.extensions.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;

import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

class EnterProcessorTest {
    private static EnterProcessor mailet(String processor) throws MessagingException {
        EnterProcessor mailet = new EnterProcessor();
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("EnterProcessor")
            .mailetContext(FakeMailContext.defaultContext());
        if (processor != null) {
            config.setProperty("processor", processor);
        }
        mailet.init(config.build());
        return mailet;
    }

    @Test
    void theMailCarriesTheNameOfTheProcessorItEntered() throws Exception {
        FakeMail mail = FakeMail.builder().name("m1").sender("alice@demo.mss.test").recipient("bruno@demo.mss.test").build();

        mailet("transport").service(mail);

        assertThat(mail.getAttribute(RetryWhenDatabaseUnavailable.PROCESSOR))
            .hasValueSatisfying(attribute -> assertThat(attribute.getValue().value()).isEqualTo("transport"));
    }

    @Test
    void enteringAnotherProcessorReplacesTheName() throws Exception {
        FakeMail mail = FakeMail.builder().name("m2").sender("alice@demo.mss.test").recipient("bruno@demo.mss.test").build();

        mailet("root").service(mail);
        mailet("local-delivery").service(mail);

        assertThat(mail.getAttribute(RetryWhenDatabaseUnavailable.PROCESSOR))
            .hasValueSatisfying(attribute -> assertThat(attribute.getValue().value()).isEqualTo("local-delivery"));
    }

    @Test
    void aMissingProcessorOrAnUnknownParameterFailsAtStartup() {
        assertThatThrownBy(() -> mailet(null)).isInstanceOf(MessagingException.class).hasMessageContaining("processor");
        assertThatThrownBy(() -> new EnterProcessor().init(FakeMailetConfig.builder().mailetName("EnterProcessor")
            .mailetContext(FakeMailContext.defaultContext()).setProperty("processor", "root").setProperty("procesor", "x")
            .build())).isInstanceOf(MessagingException.class);
    }
}
