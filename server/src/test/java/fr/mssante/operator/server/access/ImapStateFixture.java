package fr.mssante.operator.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.devmode.DevelopmentOidcIssuer;
import fr.mssante.operator.server.testing.ImapDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Bruno's mailbox on the shared test server, opened by Bruno himself (holder) or by Claire as a read-only delegate,
 * with a fresh folder per test holding two messages: #1 flagged \Deleted, #2 unseen; both \Recent.
 */
final class ImapStateFixture {
    static final String HOLDER = "bruno.durand@" + DemoData.DOMAIN;

    final TestServer server;
    final String folder = "State-" + UUID.randomUUID().toString().substring(0, 8);
    final String other = folder + "-other";
    private final DevelopmentOidcIssuer issuer;
    private final SSLContext tls;

    private ImapStateFixture(TestServer server) throws Exception {
        this.server = server;
        this.issuer = server.runtime().oidcIssuer().orElseThrow();
        this.tls = server.clientTls();
    }

    /** A fresh folder (and an empty sibling) of Bruno's, seeded by Bruno. */
    static ImapStateFixture seeded() throws Exception {
        ImapStateFixture fixture = new ImapStateFixture(TestServer.shared());
        try (ImapDialogue holder = fixture.holder()) {
            assertThat(holder.status("CREATE " + fixture.folder)).contains("OK");
            assertThat(holder.status("CREATE " + fixture.other)).contains("OK");
            assertThat(holder.append(fixture.folder, "\\Deleted", message("deleted"))).contains("OK");
            assertThat(holder.append(fixture.folder, "", message("unseen"))).contains("OK");
        }
        assertThat(fixture.status()).isEqualTo(new Status(2, 2, 2));
        return fixture;
    }

    static String message(String subject) {
        return "From: <" + HOLDER + ">\r\nTo: <" + HOLDER + ">\r\nSubject: " + subject + "\r\nMessage-ID: <"
            + UUID.randomUUID() + "@test>\r\n\r\nBody of " + subject + "\r\n";
    }

    /** Bruno, holder of his mailbox (access token). */
    ImapDialogue holder() throws Exception {
        return authenticated(DemoData.BRUNO_ID);
    }

    /** Claire, granted DELEGATE_READ on Bruno's mailbox. */
    ImapDialogue readOnlyDelegate() throws Exception {
        HttpResponse<String> grant = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.webAdminPort() + "/mss/mailboxes/" + HOLDER + "/access/" + DemoData.CLAIRE_ID + "/DELEGATE_READ"))
            .header("Authorization", "Bearer " + server.webAdminToken()).PUT(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(grant.statusCode()).isEqualTo(200);
        return authenticated(DemoData.CLAIRE_ID);
    }

    private ImapDialogue authenticated(String identity) throws Exception {
        return authenticated(HOLDER, identity);
    }

    /** {@code identity} (a demo national id) opening the mailbox {@code address} (access token). */
    ImapDialogue authenticated(String address, String identity) throws Exception {
        ImapDialogue imap = ImapDialogue.connectTls(server.port(ListeningPorts.IMAPS), tls);
        String response = Base64.getEncoder().encodeToString(("user=" + address + "\u0001auth=Bearer "
            + issuer.accessToken(identity) + "\u0001\u0001").getBytes(StandardCharsets.UTF_8));
        assertThat(imap.status("AUTHENTICATE XOAUTH2 " + response)).contains("OK");
        return imap;
    }

    record Status(int messages, int recent, int unseen) {
    }

    /** STATUS of the folder from a new session of the holder (STATUS changes nothing). */
    Status status() throws Exception {
        return status(folder);
    }

    Status status(String mailbox) throws Exception {
        try (ImapDialogue holder = holder()) {
            String reply = holder.command("STATUS " + mailbox + " (MESSAGES RECENT UNSEEN)");
            return new Status(number(reply, "MESSAGES"), number(reply, "RECENT"), number(reply, "UNSEEN"));
        }
    }

    /** The flags of every message of the folder, seen by the holder through EXAMINE (read-only). */
    String flags() throws Exception {
        try (ImapDialogue holder = holder()) {
            assertThat(holder.status("EXAMINE " + folder)).contains("OK");
            return holder.command("FETCH 1:* (FLAGS)");
        }
    }

    private static int number(String reply, String item) {
        Matcher matcher = Pattern.compile(item + " (\\d+)").matcher(reply);
        assertThat(matcher.find()).as("%s in %s", item, reply).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
