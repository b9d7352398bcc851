package fr.mssante.operator.extensions.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

class RemoveServerAssertedHeadersTest {
    private static RemoveServerAssertedHeaders mailet(FakeMailetConfig config) throws MessagingException {
        RemoveServerAssertedHeaders mailet = new RemoveServerAssertedHeaders();
        mailet.init(config);
        return mailet;
    }

    @Test
    void removesEveryServerHeaderWhateverItsCase() throws Exception {
        MimeMessage message = MimeMessageBuilder.mimeMessageBuilder()
            .addHeader("X-MSS-SMIME-Status", "good")
            .addHeader("x-mss-trust", "forged")
            .addHeader("X-Mss-Documents", "1")
            .addHeader("X-Mailer", "kept")
            .addHeader("X-MSSANTE-Other", "kept too: not our prefix")
            .setSubject("s").setText("body").build();
        FakeMail mail = FakeMail.builder().name("m").mimeMessage(message).build();

        mailet(FakeMailetConfig.builder().mailetName("strip").build()).service(mail);

        MimeMessage result = mail.getMessage();
        assertThat(result.getHeader("X-MSS-SMIME-Status")).isNull();
        assertThat(result.getHeader("X-MSS-Trust")).isNull();
        assertThat(result.getHeader("X-MSS-Documents")).isNull();
        assertThat(result.getHeader("X-Mailer")).containsExactly("kept");
        assertThat(result.getHeader("X-MSSANTE-Other")).isNotNull();
        assertThat(result.getSubject()).isEqualTo("s");
    }

    @Test
    void theBodyIsUntouched() throws Exception {
        MimeMessage message = MimeMessageBuilder.mimeMessageBuilder().setSubject("s").setText("corps é").build();
        FakeMail mail = FakeMail.builder().name("m").mimeMessage(message).build();
        mailet(FakeMailetConfig.builder().mailetName("strip").build()).service(mail);
        assertThat(mail.getMessage().getContent()).isEqualTo("corps é");
    }

    @Test
    void anUnknownParameterFailsAtStartup() {
        assertThatThrownBy(() -> mailet(FakeMailetConfig.builder().mailetName("strip").setProperty("prefx", "X-").build()))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining("prefx");
    }

    @Test
    void aCustomPrefixIsHonoured() throws Exception {
        MimeMessage message = MimeMessageBuilder.mimeMessageBuilder().addHeader("X-Test-A", "1").addHeader("X-MSS-B", "2")
            .setText("b").build();
        FakeMail mail = FakeMail.builder().name("m").mimeMessage(message).build();
        mailet(FakeMailetConfig.builder().mailetName("strip").setProperty("prefix", "X-Test-").build()).service(mail);
        assertThat(mail.getMessage().getHeader("X-Test-A")).isNull();
        assertThat(mail.getMessage().getHeader("X-MSS-B")).containsExactly("2");
    }

    @Test
    void theEndOfExchangeHeaderOfProfessionalsIsKeptWhenListed() throws Exception {
        MimeMessage message = MimeMessageBuilder.mimeMessageBuilder().addHeader("X-MSS-MES", "FIN").addHeader("X-MSS-SMIME-Status", "good")
            .setText("b").build();
        FakeMail mail = FakeMail.builder().name("m").mimeMessage(message).build();
        mailet(FakeMailetConfig.builder().mailetName("strip").setProperty("keep", "x-mss-mes").build()).service(mail);
        assertThat(mail.getMessage().getHeader("X-MSS-MES")).containsExactly("FIN");
        assertThat(mail.getMessage().getHeader("X-MSS-SMIME-Status")).isNull();
    }
}
