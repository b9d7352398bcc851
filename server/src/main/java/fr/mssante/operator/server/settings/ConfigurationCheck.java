package fr.mssante.operator.server.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Checks the configuration directory before James reads it, so that a mistake stops start-up with a message that
 * names the file, the line and the key: required files present, XML well-formed, and every {@code ${sys:mss.…}}
 * reference a known {@link Setting}.
 */
public final class ConfigurationCheck {
    public static final List<String> REQUIRED_FILES = List.of("smtpserver.xml", "imapserver.xml", "mailetcontainer.xml",
        "webadmin.properties", "domainlist.xml", "usersrepository.xml", "recipientrewritetable.xml",
        "mailrepositorystore.xml", "dnsservice.xml");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{sys:(mss\\.[A-Za-z0-9_.]+)}");
    private static final Set<String> KNOWN = Stream.of(Setting.values()).map(Setting::property).collect(Collectors.toSet());

    private ConfigurationCheck() {
    }

    public static void verify(Path confDirectory) {
        if (!Files.isDirectory(confDirectory)) {
            throw new InvalidConfigurationException("Configuration directory " + confDirectory + " does not exist");
        }
        for (String name : REQUIRED_FILES) {
            if (!Files.isRegularFile(confDirectory.resolve(name))) {
                throw new InvalidConfigurationException("Missing configuration file " + confDirectory.resolve(name));
            }
        }
        try (Stream<Path> files = Files.list(confDirectory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".xml")) {
                    checkWellFormed(file);
                }
                if (name.endsWith(".xml") || name.endsWith(".properties")) {
                    checkReferences(file);
                }
            }
        } catch (IOException e) {
            throw new InvalidConfigurationException("Cannot read configuration directory " + confDirectory + ": " + e.getMessage());
        }
    }

    private static void checkWellFormed(Path file) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(file.toFile());
            ConfigurationRules.check(file.getFileName().toString(), document.getDocumentElement());
        } catch (SAXParseException e) {
            throw new InvalidConfigurationException(file + " line " + e.getLineNumber() + ": " + e.getMessage());
        } catch (SAXException | ParserConfigurationException e) {
            throw new InvalidConfigurationException(file + ": " + e.getMessage());
        }
    }

    private static final Map<String, String> FILE_BY_COMPONENT = Map.of(
        "org.apache.james.smtpserver", "smtpserver.xml",
        "org.apache.james.imapserver", "imapserver.xml",
        "org.apache.james.mailetcontainer", "mailetcontainer.xml",
        "org.apache.james.transport", "mailetcontainer.xml",
        "org.apache.james.webadmin", "webadmin.properties",
        "org.apache.james.domainlist", "domainlist.xml",
        "org.apache.james.user", "usersrepository.xml",
        "org.apache.james.rrt", "recipientrewritetable.xml",
        "org.apache.james.mailrepository", "mailrepositorystore.xml",
        "org.apache.james.dnsservice", "dnsservice.xml");

    /** The configuration file of the James component a start-up failure comes from, read off its stack trace. */
    public static Optional<String> fileOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                for (Map.Entry<String, String> entry : FILE_BY_COMPONENT.entrySet()) {
                    if (frame.getClassName().startsWith(entry.getKey())) {
                        return Optional.of(entry.getValue());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static void checkReferences(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            Matcher matcher = REFERENCE.matcher(lines.get(i));
            while (matcher.find()) {
                if (!KNOWN.contains(matcher.group(1))) {
                    throw new InvalidConfigurationException(file + " line " + (i + 1) + ": unknown setting key '"
                        + matcher.group(1) + "' (known: see docs/configuration.md)");
                }
            }
        }
    }
}
