package fr.mssante.operator.server.interop;

import static fr.mssante.operator.server.interop.InteropServer.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import javax.mail.Session;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import com.sun.mail.imap.IMAPStore;
import com.sun.mail.smtp.SMTPTransport;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.testing.TestServer;

/**
 * The Thunderbird autoconfiguration file served on {@code MSS_AUTOCONFIG_PORT}: valid against a schema of the
 * config-v1.1 format ({@code src/test/resources/interop/thunderbird-autoconfig-1.1.xsd}; Mozilla publishes none, the
 * schema is derived from Mozilla's documented format — see its header), and true: every server it lists is used the
 * way Thunderbird would use it (host name and port as given, TLS from the first byte for {@code SSL}, a mandatory
 * upgrade for {@code STARTTLS}, certificate checked against the host name, user name from the placeholder) with a
 * real client (JavaMail), and every authentication method it names is one the server offers there — a password login
 * really succeeds.
 */
class ThunderbirdAutoconfigTest {
    private static TestServer server;
    private static Schema schema;

    @BeforeAll
    static void start() throws Exception {
        server = InteropServer.get();
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        schema = factory.newSchema(ThunderbirdAutoconfigTest.class.getResource("/interop/thunderbird-autoconfig-1.1.xsd"));
    }

    record ServerEntry(String protocol, String hostname, int port, String socketType, String username, List<String> authentication) {
    }

    @Test
    void bothThunderbirdAddressesServeAFileValidAgainstTheFormatsSchema() throws Exception {
        for (String path : List.of("/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml")) {
            String xml = fetch(path + "?emailaddress=" + URLEncoder.encode(ALICE, StandardCharsets.UTF_8));
            schema.newValidator().validate(new StreamSource(new StringReader(xml)));
        }
        // the schema is not a rubber stamp: a socket type or a method Thunderbird does not know is refused
        String xml = fetch("/mail/config-v1.1.xml?emailaddress=" + ALICE);
        assertThatThrownBy(() -> schema.newValidator().validate(new StreamSource(new StringReader(
            xml.replaceFirst("<socketType>SSL</socketType>", "<socketType>TLS</socketType>"))))).isInstanceOf(SAXException.class);
        assertThatThrownBy(() -> schema.newValidator().validate(new StreamSource(new StringReader(
            xml.replaceFirst("<authentication>OAuth2</authentication>", "<authentication>XOAUTH2</authentication>")))))
            .isInstanceOf(SAXException.class);
    }

    @Test
    void everyServerListedIsReachableAsDescribedAndOffersTheListedAuthentication() throws Exception {
        Document document = parse(fetch("/mail/config-v1.1.xml?emailaddress=" + ALICE));
        Element provider = (Element) document.getElementsByTagName("emailProvider").item(0);
        assertThat(provider.getAttribute("id")).isEqualTo("demo.mss.test");
        assertThat(texts(provider, "domain")).containsExactly("demo.mss.test");

        List<ServerEntry> entries = entries(document);
        // what we list: IMAP and submission, implicit TLS first (RFC 8314), then STARTTLS, on the ports really bound
        assertThat(entries).extracting(e -> e.protocol() + " " + e.socketType() + " " + e.port()).containsExactly(
            "imap SSL " + server.port(ListeningPorts.IMAPS), "imap STARTTLS " + server.port(ListeningPorts.IMAP),
            "smtp SSL " + server.port(ListeningPorts.SUBMISSIONS), "smtp STARTTLS " + server.port(ListeningPorts.SUBMISSION));
        for (ServerEntry entry : entries) {
            assertThat(entry.hostname()).as("MSS_PUBLIC_HOSTNAME").isEqualTo("localhost");
            assertThat(entry.socketType()).as("never plain").isNotEqualTo("plain");
            String user = entry.username().replace("%EMAILADDRESS%", ALICE);
            assertThat(user).isEqualTo(ALICE);
            if (entry.protocol().equals("imap")) {
                checkImap(entry, user);
            } else {
                checkSmtp(entry, user);
            }
        }
    }

    private void checkImap(ServerEntry entry, String user) throws Exception {
        IMAPStore store = (IMAPStore) Session.getInstance(clientProperties("imap", entry)).getStore("imap");
        store.connect(entry.hostname(), entry.port(), user, server.password(ALICE));
        try {
            List<String> capabilities = new ArrayList<>();
            for (String method : entry.authentication()) {
                for (String mechanism : imapMechanisms(method)) {
                    if (store.hasCapability(mechanism)) {
                        capabilities.add(mechanism);
                    }
                }
                assertThat(imapMechanisms(method)).as(entry + ": " + method).anyMatch(capabilities::contains);
            }
            assertThat(store.getFolder("INBOX").exists()).isTrue();
        } finally {
            store.close();
        }
    }

    private void checkSmtp(ServerEntry entry, String user) throws Exception {
        Properties properties = clientProperties("smtp", entry);
        properties.put("mail.smtp.auth", "true");
        SMTPTransport transport = (SMTPTransport) Session.getInstance(properties).getTransport("smtp");
        transport.connect(entry.hostname(), entry.port(), user, server.password(ALICE));
        try {
            Set<String> offered = Set.of(transport.getExtensionParameter("AUTH").toUpperCase().split(" "));
            for (String method : entry.authentication()) {
                assertThat(smtpMechanisms(method)).as(entry + ": " + method).anyMatch(offered::contains);
            }
            assertThat(transport.isConnected()).isTrue(); // authenticated: connect() throws otherwise
        } finally {
            transport.close();
        }
    }

    /** How Thunderbird uses socketType: SSL = TLS at once, STARTTLS = required upgrade; the host name is checked. */
    private static Properties clientProperties(String protocol, ServerEntry entry) throws Exception {
        Properties properties = new Properties();
        String prefix = "mail." + protocol + ".";
        if (entry.socketType().equals("SSL")) {
            properties.put(prefix + "ssl.enable", "true");
        } else {
            properties.put(prefix + "starttls.enable", "true");
            properties.put(prefix + "starttls.required", "true");
        }
        properties.put(prefix + "ssl.socketFactory", server.clientTls().getSocketFactory());
        properties.put(prefix + "ssl.checkserveridentity", "true");
        properties.put(prefix + "auth.mechanisms", "PLAIN LOGIN");
        properties.put(prefix + "timeout", "30000");
        properties.put(prefix + "connectiontimeout", "30000");
        return properties;
    }

    private static List<String> imapMechanisms(String method) {
        return switch (method) {
            case "password-cleartext" -> List.of("AUTH=PLAIN", "AUTH=LOGIN");
            case "OAuth2" -> List.of("AUTH=OAUTHBEARER", "AUTH=XOAUTH2");
            case "TLS-client-cert" -> List.of("AUTH=EXTERNAL");
            default -> List.of(); // nothing else is offered: listing it would be a lie
        };
    }

    private static List<String> smtpMechanisms(String method) {
        return imapMechanisms(method).stream().map(mechanism -> mechanism.substring("AUTH=".length())).toList();
    }

    private static List<ServerEntry> entries(Document document) {
        List<ServerEntry> entries = new ArrayList<>();
        for (String kind : List.of("incomingServer", "outgoingServer")) {
            NodeList servers = document.getElementsByTagName(kind);
            for (int i = 0; i < servers.getLength(); i++) {
                Element element = (Element) servers.item(i);
                entries.add(new ServerEntry(element.getAttribute("type"), texts(element, "hostname").get(0),
                    Integer.parseInt(texts(element, "port").get(0)), texts(element, "socketType").get(0),
                    texts(element, "username").get(0), texts(element, "authentication")));
            }
        }
        return entries;
    }

    private static List<String> texts(Element parent, String name) {
        List<String> values = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagName(name);
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(nodes.item(i).getTextContent().trim());
        }
        return values;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String fetch(String pathAndQuery) throws Exception {
        int port = server.runtime().autoconfiguration().orElseThrow().port();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/xml"));
        return response.body();
    }
}
