package fr.mssante.operator.healthspace.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import fr.mssante.operator.healthspace.login.CitizenPrincipal;
import fr.mssante.operator.healthspace.mailbox.AttachmentData;
import fr.mssante.operator.healthspace.mailbox.AttachmentInfo;
import fr.mssante.operator.healthspace.mailbox.Box;
import fr.mssante.operator.healthspace.mailbox.MailboxGateway;
import fr.mssante.operator.healthspace.mailbox.MessageContent;
import fr.mssante.operator.healthspace.mailbox.MessageSummary;
import fr.mssante.operator.healthspace.webadmin.Citizen;
import fr.mssante.operator.healthspace.webadmin.CitizenRoutes;
import fr.mssante.operator.healthspace.webadmin.CodeVerification;
import fr.mssante.operator.healthspace.webadmin.ReplyPermission;

/**
 * The pages with the server's routes and the mailbox replaced by mocks: login by one-time code, access control, CSRF,
 * CSP, French by default, the reply button and its reason, the CDA rendered as escaped text, the opt-out.
 */
@SpringBootTest(properties = "server.port=0")
@AutoConfigureMockMvc
class HealthSpacePagesTest {
    private static final String INS = "180057512345627";
    private static final String ADDRESS = INS + "@patient.mss.test";
    private static final CitizenPrincipal CITIZEN = new CitizenPrincipal(INS, ADDRESS, "Jeanne Martin");

    @Autowired
    MockMvc mvc;
    @MockitoBean
    CitizenRoutes routes;
    @MockitoBean
    MailboxGateway mailbox;

    @Test
    void anonymousVisitorsAreSentToTheLoginPage() throws Exception {
        mvc.perform(get("/")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("http://localhost/login"));
        mvc.perform(get("/messages/inbox/1")).andExpect(status().is3xxRedirection());
    }

    @Test
    void theLoginPageIsFrenchWithAStrictContentSecurityPolicyAndACsrfToken() throws Exception {
        MvcResult result = mvc.perform(get("/login").header("Accept-Language", "en"))
            .andExpect(status().isOk()).andReturn();
        String csp = result.getResponse().getHeader("Content-Security-Policy");
        assertThat(csp).contains("default-src 'none'", "frame-ancestors 'none'").doesNotContain("unsafe-inline");
        String html = result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(html).contains("lang=\"fr\"", "Connexion à votre espace santé", "name=\"_csrf\"",
            "<label for=\"identifier\"").doesNotContain("<script");
        String english = mvc.perform(get("/login").param("lang", "en")).andReturn().getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
        assertThat(english).contains("lang=\"en\"", "Sign in to your health space");
    }

    @Test
    void aFormWithoutCsrfTokenIsRefused() throws Exception {
        mvc.perform(post("/login").param("identifier", INS)).andExpect(status().isForbidden());
        verify(routes, never()).sendLoginCode(any());
    }

    @Test
    void theCitizenSignsInWithTheCodeTheServerSent() throws Exception {
        when(routes.find(INS)).thenReturn(Optional.of(new Citizen(INS, ADDRESS, "Jeanne Martin", "OPEN", "x@example.org")));
        when(routes.verifyLoginCode(INS, "111111")).thenReturn(new CodeVerification(CodeVerification.Outcome.INVALID, 4));
        when(routes.verifyLoginCode(INS, "123456")).thenReturn(new CodeVerification(CodeVerification.Outcome.VALID, 0));
        MockHttpSession session = new MockHttpSession();

        mvc.perform(post("/login").session(session).with(csrf()).param("identifier", " " + ADDRESS.toUpperCase() + " "))
            .andExpect(redirectedUrl("/login/code"));
        verify(routes).sendLoginCode(INS);

        String wrong = mvc.perform(post("/login/code").session(session).with(csrf()).param("code", "111111"))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(wrong).contains("Ce code n&#39;est pas valide.", "Il reste 4 essai(s).");
        mvc.perform(get("/").session(session)).andExpect(status().is3xxRedirection());

        String before = session.getId();
        mvc.perform(post("/login/code").session(session).with(csrf()).param("code", "123 456"))
            .andExpect(redirectedUrl("/"));
        assertThat(session.getId()).as("a new session id once signed in").isNotEqualTo(before);
        when(mailbox.list(ADDRESS)).thenReturn(List.of());
        String home = mvc.perform(get("/").session(session)).andExpect(status().isOk()).andReturn().getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
        assertThat(home).contains("Jeanne Martin", "Vous n&#39;avez aucun message.");
    }

    @Test
    void theLoginPageSaysTheSameForAnUnknownOrClosedSpaceAndSendsNoCode() throws Exception {
        when(routes.find(INS)).thenReturn(Optional.of(new Citizen(INS, ADDRESS, "Jeanne Martin", "CLOSED", "x@example.org")));
        mvc.perform(post("/login").with(csrf()).param("identifier", INS)).andExpect(redirectedUrl("/login/code"));
        mvc.perform(post("/login").with(csrf()).param("identifier", "280077512345655")).andExpect(redirectedUrl("/login/code"));
        verify(routes, never()).sendLoginCode(any());
        String refused = mvc.perform(post("/login").with(csrf()).param("identifier", "someone@demo.mss.test"))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(refused).contains("role=\"alert\"", "pas un INS valide");
    }

    @Test
    void conversationsAreGroupedByThreadAndTheReplyButtonSaysWhyWhenItIsNotAllowed() throws Exception {
        MessageSummary first = summary(Box.INBOX, 1, "<a@x>", "", List.of(), "2026-12-01T10:00:00Z");
        MessageSummary reply = summary(Box.SENT, 1, "<b@x>", "<a@x>", List.of("<a@x>"), "2026-12-02T10:00:00Z");
        MessageSummary fin = summary(Box.INBOX, 2, "<c@x>", "<b@x>", List.of("<a@x>", "<b@x>"), "2026-12-03T10:00:00Z");
        MessageSummary other = summary(Box.INBOX, 3, "<d@x>", "", List.of(), "2026-11-01T10:00:00Z");
        when(mailbox.list(ADDRESS)).thenReturn(List.of(other, fin, first, reply));
        String home = page(get("/"));
        assertThat(home.split("data-test=\"conversation\"", -1)).hasSize(3);
        assertThat(home).contains("3 messages", "1 message");

        when(mailbox.read(ADDRESS, Box.INBOX, 2)).thenReturn(Optional.of(new MessageContent(fin, List.of(ADDRESS),
            "<b>Fin</b> du suivi", List.of(new AttachmentInfo(0, "compte-rendu.pdf", "application/pdf", 10)))));
        when(routes.replyPermission(INS, "<c@x>")).thenReturn(new ReplyPermission(false,
            "Le professionnel a clos cette conversation.", "CONVERSATION_ENDED"));
        String closed = page(get("/messages/inbox/2"));
        assertThat(closed).contains("Le professionnel a clos cette conversation.", "&lt;b&gt;Fin&lt;/b&gt; du suivi",
            "/messages/inbox/2/attachments/0").doesNotContain("data-test=\"reply\"", "<b>Fin</b>");

        when(routes.replyPermission(INS, "<c@x>")).thenReturn(new ReplyPermission(true, "", "OK"));
        assertThat(page(get("/messages/inbox/2"))).contains("data-test=\"reply\"");
    }

    @Test
    void aReplyIsRefusedBeforeSubmissionWhenTheServerSaysNo() throws Exception {
        MessageSummary fin = summary(Box.INBOX, 2, "<c@x>", "", List.of(), "2026-12-03T10:00:00Z");
        when(mailbox.read(ADDRESS, Box.INBOX, 2)).thenReturn(Optional.of(new MessageContent(fin, List.of(ADDRESS), "x", List.of())));
        when(routes.replyPermission(INS, "<c@x>")).thenReturn(new ReplyPermission(false, "Conversation terminée.", "CONVERSATION_ENDED"));
        String html = page(post("/messages/inbox/2/reply").with(csrf()).param("text", "Merci"));
        assertThat(html).contains("Conversation terminée.");
        verify(mailbox, never()).submit(any(), any());
    }

    @Test
    void aPdfIsDownloadedAsAnAttachmentAndACdaIsRenderedAsEscapedText() throws Exception {
        byte[] pdf = "%PDF-1.4 test".getBytes(StandardCharsets.US_ASCII);
        when(mailbox.attachment(eq(ADDRESS), eq(Box.INBOX), anyLong(), eq(0))).thenReturn(Optional.of(
            new AttachmentData(new AttachmentInfo(0, "compte-rendu.pdf", "application/pdf", pdf.length), pdf)));
        mvc.perform(get("/messages/inbox/5/attachments/0").with(authentication(signedIn())))
            .andExpect(status().isOk())
            .andExpect(header().string("Content-Type", "application/pdf"))
            .andExpect(header().string("Content-Disposition", org.hamcrest.Matchers.startsWith("attachment;")));

        byte[] cda = ("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>Compte rendu &lt;img src=x onerror=alert(1)&gt;</title>"
            + "<recordTarget><patientRole><patient><name><given>Jeanne</given><family>Martin</family></name></patient></patientRole></recordTarget>"
            + "<component><structuredBody><component><section><title>Conclusion</title><text><paragraph>&lt;script&gt;alert(1)&lt;/script&gt;Repos</paragraph></text></section></component></structuredBody></component>"
            + "</ClinicalDocument>").getBytes(StandardCharsets.UTF_8);
        when(mailbox.attachment(eq(ADDRESS), eq(Box.INBOX), anyLong(), eq(1))).thenReturn(Optional.of(
            new AttachmentData(new AttachmentInfo(1, "cr.xml", "text/xml", cda.length), cda)));
        String html = page(get("/messages/inbox/5/attachments/1/document"));
        assertThat(html).contains("Jeanne Martin", "Conclusion", "&lt;script&gt;alert(1)&lt;/script&gt;Repos",
            "&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<script", "<img");
    }

    @Test
    void closingTheSpaceNeedsTheConfirmationThenSignsOut() throws Exception {
        String unconfirmed = page(post("/space/close").with(csrf()));
        assertThat(unconfirmed).contains("Cochez la case");
        verify(routes, never()).close(any());
        mvc.perform(post("/space/close").with(csrf()).with(authentication(signedIn())).param("confirmed", "true"))
            .andExpect(redirectedUrl("/closed"));
        verify(routes).close(INS);
    }

    @Test
    void aMissingMessageOrAttachmentIsNotFound() throws Exception {
        when(mailbox.read(any(), any(), anyLong())).thenReturn(Optional.empty());
        when(mailbox.attachment(any(), any(), anyLong(), anyInt())).thenReturn(Optional.empty());
        mvc.perform(get("/messages/inbox/9").with(authentication(signedIn()))).andExpect(status().isNotFound());
        mvc.perform(get("/messages/elsewhere/9").with(authentication(signedIn()))).andExpect(status().isNotFound());
        mvc.perform(get("/messages/inbox/9/attachments/0").with(authentication(signedIn()))).andExpect(status().isNotFound());
    }

    private String page(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.with(authentication(signedIn()))).andExpect(status().isOk()).andReturn().getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
    }

    private static UsernamePasswordAuthenticationToken signedIn() {
        return UsernamePasswordAuthenticationToken.authenticated(CITIZEN, null, List.of(new SimpleGrantedAuthority("ROLE_CITIZEN")));
    }

    private static MessageSummary summary(Box box, long uid, String id, String inReplyTo, List<String> references, String date) {
        boolean sent = box == Box.SENT;
        return new MessageSummary(box, uid, id, inReplyTo, references, sent ? ADDRESS : "dr.house@demo.mss.test",
            sent ? "Jeanne Martin" : "Dr House", "Résultats", Instant.parse(date), true, false);
    }
}
