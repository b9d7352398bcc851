package fr.mssante.operator.extensions.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;
import fr.mssante.operator.authentication.AuthenticatedPrincipal;

/** The submission's principal travels on the mail only as our submission hook set it, for its own session. */
class SubmissionPrincipalTest {
    static final String PRACTICE = "cabinet@demo.test";
    static final String ALICE = "alice@demo.test";

    static FakeMail authenticatedAs(String user) throws Exception {
        FakeMail mail = FakeMail.builder().name("m").build();
        mail.setAttribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of(user)));
        return mail;
    }

    @Test
    void aMailboxCredentialAndAPersonRoundTrip() throws Exception {
        FakeMail password = authenticatedAs(PRACTICE);
        AuthenticatedPrincipal credential = new AuthenticatedPrincipal.MailboxCredential(PRACTICE, AuthenticatedPrincipal.Proof.PASSWORD);
        SubmissionPrincipal.attach(password, credential, PRACTICE);
        assertThat(SubmissionPrincipal.of(password)).contains(credential);

        FakeMail token = authenticatedAs(ALICE);
        AuthenticatedPrincipal person = new AuthenticatedPrincipal.Person("810000000001", AuthenticatedPrincipal.Proof.ACCESS_TOKEN);
        SubmissionPrincipal.attach(token, person, ALICE.toUpperCase(java.util.Locale.ROOT));
        assertThat(SubmissionPrincipal.of(token)).contains(person);
    }

    @Test
    void theHealthSpaceActingForACitizenRoundTrips() throws Exception {
        String citizen = "146026322000196@patient.mss.test";
        FakeMail reply = authenticatedAs(citizen);
        AuthenticatedPrincipal gateway = new AuthenticatedPrincipal.CitizenGateway(citizen, "CN=health-space,O=MSS DEVELOPMENT ONLY,C=FR");
        SubmissionPrincipal.attach(reply, gateway, citizen);
        assertThat(SubmissionPrincipal.of(reply)).contains(gateway);
    }

    @Test
    void aPrincipalOfAnotherSessionOrWithoutAuthenticationIsIgnored() throws Exception {
        FakeMail other = authenticatedAs(ALICE);
        SubmissionPrincipal.attach(other, new AuthenticatedPrincipal.Person("810000000001", AuthenticatedPrincipal.Proof.ACCESS_TOKEN), PRACTICE);
        assertThat(SubmissionPrincipal.of(other)).as("recorded for another session's mailbox").isEmpty();

        FakeMail unauthenticated = FakeMail.builder().name("mx").build();
        SubmissionPrincipal.attach(unauthenticated, new AuthenticatedPrincipal.Person("810000000001",
            AuthenticatedPrincipal.Proof.ACCESS_TOKEN), ALICE);
        assertThat(SubmissionPrincipal.of(unauthenticated)).as("no SMTP AUTH on the mail").isEmpty();
    }

    @Test
    void aMalformedValueIsIgnored() throws Exception {
        FakeMail wrongType = authenticatedAs(ALICE);
        wrongType.setAttribute(new Attribute(SubmissionPrincipal.NAME, AttributeValue.of("ACCESS_TOKEN 810000000001")));
        assertThat(SubmissionPrincipal.of(wrongType)).isEmpty();

        FakeMail tokenWithoutPerson = authenticatedAs(ALICE);
        tokenWithoutPerson.setAttribute(new Attribute(SubmissionPrincipal.NAME, AttributeValue.of(Map.<String, AttributeValue<?>>of(
            "proof", AttributeValue.of("ACCESS_TOKEN"), "session", AttributeValue.of(ALICE), "mailbox", AttributeValue.of(ALICE)))));
        assertThat(SubmissionPrincipal.of(tokenWithoutPerson)).isEmpty();

        FakeMail unknownProof = authenticatedAs(ALICE);
        unknownProof.setAttribute(new Attribute(SubmissionPrincipal.NAME, AttributeValue.of(Map.<String, AttributeValue<?>>of(
            "proof", AttributeValue.of("HOLDER"), "session", AttributeValue.of(ALICE), "mailbox", AttributeValue.of(ALICE)))));
        assertThat(SubmissionPrincipal.of(unknownProof)).isEmpty();
    }

    @Test
    void theMxForgetsAnyPrincipal() throws Exception {
        FakeMail mail = authenticatedAs(ALICE);
        SubmissionPrincipal.attach(mail, new AuthenticatedPrincipal.Person("810000000001", AuthenticatedPrincipal.Proof.ACCESS_TOKEN), ALICE);

        new ForgetSubmissionPrincipal().onMessage(null, mail);

        assertThat(mail.getAttribute(SubmissionPrincipal.NAME)).isEmpty();
        assertThat(SubmissionPrincipal.of(mail)).isEmpty();
    }
}
