package fr.mssante.operator.server.autoconfig;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.settings.ServerSettings;
import fr.mssante.operator.server.settings.Setting;

/**
 * Mail-client self-configuration for our domains, over plain HTTP behind the operator's HTTPS front
 * ({@code autoconfig.<domain>} / {@code autodiscover.<domain>}):
 * <ul>
 *   <li>Thunderbird autoconfig: {@code GET /mail/config-v1.1.xml?emailaddress=...} and
 *       {@code /.well-known/autoconfig/mail/config-v1.1.xml} — IMAP (implicit TLS, then STARTTLS) and submission
 *       (implicit TLS, then STARTTLS), OAuth2 first, then password;</li>
 *   <li>Outlook autodiscover (POX): {@code POST /autodiscover/autodiscover.xml}.</li>
 * </ul>
 * Addresses outside our domains get 404, so the service reveals nothing about others. Mailbox existence is never
 * revealed either (any local part of our domains gets the same answer).
 */
public final class ClientAutoconfiguration implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ClientAutoconfiguration.class);
    private static final Pattern ADDRESS = Pattern.compile("^[^@\\s<>\"]{1,64}@([A-Za-z0-9.-]{1,253})$");
    private static final Pattern POX_ADDRESS = Pattern.compile("<EMailAddress>\\s*([^<\\s]+)\\s*</EMailAddress>");

    private final HttpServer server;
    private final Predicate<String> ourDomains;
    private final String host;
    private final int imaps;
    private final int imap;
    private final int submissions;
    private final int submission;

    private ClientAutoconfiguration(HttpServer server, Predicate<String> ourDomains, String host, int imaps, int imap,
                                    int submissions, int submission) {
        this.server = server;
        this.ourDomains = ourDomains;
        this.host = host;
        this.imaps = imaps;
        this.imap = imap;
        this.submissions = submissions;
        this.submission = submission;
    }

    /**
     * Starts the service. {@code listeningPort} gives the port a listener really has, by role
     * ({@link ListeningPorts}): the
     * configured port, or the one the system chose when the configuration says 0. Clients are told those.
     */
    public static ClientAutoconfiguration start(ServerSettings settings, Predicate<String> ourDomains,
                                                ToIntFunction<String> listeningPort) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(settings.get(Setting.BIND_ADDRESS), settings.port(Setting.AUTOCONFIG_PORT)), 32);
        ClientAutoconfiguration service = new ClientAutoconfiguration(http, ourDomains, settings.get(Setting.PUBLIC_HOSTNAME),
            listeningPort.applyAsInt(ListeningPorts.IMAPS), listeningPort.applyAsInt(ListeningPorts.IMAP),
            listeningPort.applyAsInt(ListeningPorts.SUBMISSIONS), listeningPort.applyAsInt(ListeningPorts.SUBMISSION));
        http.createContext("/mail/config-v1.1.xml", service::thunderbird);
        http.createContext("/.well-known/autoconfig/mail/config-v1.1.xml", service::thunderbird);
        http.createContext("/autodiscover/autodiscover.xml", service::outlook);
        http.createContext("/Autodiscover/Autodiscover.xml", service::outlook);
        http.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "autoconfig");
            thread.setDaemon(true);
            return thread;
        }));
        http.start();
        LOGGER.info("Client autoconfiguration on {}:{}", settings.get(Setting.BIND_ADDRESS), http.getAddress().getPort());
        return service;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void thunderbird(HttpExchange exchange) throws IOException {
        Optional<String> address = query(exchange, "emailaddress").flatMap(this::ours);
        if (address.isEmpty()) {
            answer(exchange, 404, "text/plain", "unknown domain\n");
            return;
        }
        String domain = address.get().substring(address.get().indexOf('@') + 1);
        String xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <clientConfig version="1.1">
              <emailProvider id="%1$s">
                <domain>%1$s</domain>
                <displayName>MSSanté — %1$s</displayName>
                <displayShortName>MSSanté</displayShortName>
                <incomingServer type="imap">
                  <hostname>%2$s</hostname><port>%3$d</port><socketType>SSL</socketType>
                  <username>%%EMAILADDRESS%%</username><authentication>OAuth2</authentication>
                  <authentication>password-cleartext</authentication>
                </incomingServer>
                <incomingServer type="imap">
                  <hostname>%2$s</hostname><port>%4$d</port><socketType>STARTTLS</socketType>
                  <username>%%EMAILADDRESS%%</username><authentication>OAuth2</authentication>
                  <authentication>password-cleartext</authentication>
                </incomingServer>
                <outgoingServer type="smtp">
                  <hostname>%2$s</hostname><port>%5$d</port><socketType>SSL</socketType>
                  <username>%%EMAILADDRESS%%</username><authentication>OAuth2</authentication>
                  <authentication>password-cleartext</authentication>
                </outgoingServer>
                <outgoingServer type="smtp">
                  <hostname>%2$s</hostname><port>%6$d</port><socketType>STARTTLS</socketType>
                  <username>%%EMAILADDRESS%%</username><authentication>OAuth2</authentication>
                  <authentication>password-cleartext</authentication>
                </outgoingServer>
              </emailProvider>
            </clientConfig>
            """.formatted(xmlEscape(domain), xmlEscape(host), imaps, imap, submissions, submission);
        answer(exchange, 200, "application/xml; charset=utf-8", xml);
    }

    private void outlook(HttpExchange exchange) throws IOException {
        String body = exchange.getRequestMethod().equals("POST")
            ? new String(exchange.getRequestBody().readNBytes(16 * 1024), StandardCharsets.UTF_8) : "";
        Matcher matcher = POX_ADDRESS.matcher(body);
        Optional<String> address = (matcher.find() ? Optional.of(matcher.group(1)) : query(exchange, "emailaddress")).flatMap(this::ours);
        if (address.isEmpty()) {
            answer(exchange, 404, "text/plain", "unknown domain\n");
            return;
        }
        String xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
              <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
                <User><DisplayName>%1$s</DisplayName></User>
                <Account>
                  <AccountType>email</AccountType>
                  <Action>settings</Action>
                  <Protocol>
                    <Type>IMAP</Type><Server>%2$s</Server><Port>%3$d</Port><SSL>on</SSL><SPA>off</SPA>
                    <LoginName>%1$s</LoginName><AuthRequired>on</AuthRequired>
                  </Protocol>
                  <Protocol>
                    <Type>SMTP</Type><Server>%2$s</Server><Port>%4$d</Port><SSL>on</SSL><SPA>off</SPA>
                    <LoginName>%1$s</LoginName><AuthRequired>on</AuthRequired><UsePOPAuth>off</UsePOPAuth>
                  </Protocol>
                </Account>
              </Response>
            </Autodiscover>
            """.formatted(xmlEscape(address.get()), xmlEscape(host), imaps, submissions);
        answer(exchange, 200, "application/xml; charset=utf-8", xml);
    }

    private Optional<String> ours(String address) {
        Matcher matcher = ADDRESS.matcher(address.trim());
        if (!matcher.matches() || !ourDomains.test(matcher.group(1).toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of(address.trim().toLowerCase(Locale.ROOT));
    }

    private static Optional<String> query(HttpExchange exchange, String name) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return Optional.empty();
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equalsIgnoreCase(name)) {
                return Optional.of(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static String xmlEscape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
