package fr.mssante.operator.server.settings;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Typed checks of the James keys our reference configuration sets, so that a wrong value stops start-up with a
 * message naming the file, the element and the key ("conf/smtpserver.xml, smtpserver #2, key maxmessagesize: 'lots'
 * is not a size") instead of James's bare parse error. Values are checked after {@code ${sys:…}} interpolation.
 */
final class ConfigurationRules {
    enum Type { INTEGER, SIZE, BOOLEAN, HOST_PORT, ANNOUNCE }

    record Rule(String file, String element, String key, Type type) {
    }

    private static final List<String> NETWORK_KEYS = List.of("connectionBacklog", "connectionLimit", "connectionLimitPerIP");
    static final List<Rule> RULES = List.of(
        new Rule("smtpserver.xml", "smtpserver", "bind", Type.HOST_PORT),
        new Rule("smtpserver.xml", "smtpserver", "connectionBacklog", Type.INTEGER),
        new Rule("smtpserver.xml", "smtpserver", "connectiontimeout", Type.INTEGER),
        new Rule("smtpserver.xml", "smtpserver", "connectionLimit", Type.INTEGER),
        new Rule("smtpserver.xml", "smtpserver", "connectionLimitPerIP", Type.INTEGER),
        new Rule("smtpserver.xml", "smtpserver", "maxmessagesize", Type.SIZE),
        new Rule("smtpserver.xml", "smtpserver", "verifyIdentity", Type.BOOLEAN),
        new Rule("smtpserver.xml", "smtpserver", "addressBracketsEnforcement", Type.BOOLEAN),
        new Rule("smtpserver.xml", "smtpserver", "auth/announce", Type.ANNOUNCE),
        new Rule("smtpserver.xml", "smtpserver", "auth/requireSSL", Type.BOOLEAN),
        new Rule("smtpserver.xml", "smtpserver", "auth/plainAuthEnabled", Type.BOOLEAN),
        new Rule("smtpserver.xml", "smtpserver", "tls/@startTLS", Type.BOOLEAN),
        new Rule("smtpserver.xml", "smtpserver", "tls/@socketTLS", Type.BOOLEAN),
        new Rule("imapserver.xml", "imapserver", "bind", Type.HOST_PORT),
        new Rule("imapserver.xml", "imapserver", "connectionBacklog", Type.INTEGER),
        new Rule("imapserver.xml", "imapserver", "connectionLimit", Type.INTEGER),
        new Rule("imapserver.xml", "imapserver", "connectionLimitPerIP", Type.INTEGER),
        new Rule("imapserver.xml", "imapserver", "idleTimeInterval", Type.INTEGER),
        new Rule("imapserver.xml", "imapserver", "literalSizeLimit", Type.SIZE),
        new Rule("imapserver.xml", "imapserver", "enableIdle", Type.BOOLEAN),
        new Rule("imapserver.xml", "imapserver", "plainAuthDisallowed", Type.BOOLEAN),
        new Rule("imapserver.xml", "imapserver", "tls/@startTLS", Type.BOOLEAN),
        new Rule("imapserver.xml", "imapserver", "tls/@socketTLS", Type.BOOLEAN),
        new Rule("mailetcontainer.xml", "spooler", "threads", Type.INTEGER));

    private static final Pattern SYS = Pattern.compile("\\$\\{sys:([^}]+)}");
    private static final Pattern SIZE = Pattern.compile("\\d+\\s*[kKmMgG]?");
    private static final Set<String> ANNOUNCE = Set.of("never", "always", "forunauthorizedaddresses", "true", "false");

    private ConfigurationRules() {
    }

    /** Checks every rule of {@code fileName} against its parsed document root. */
    static void check(String fileName, Element root) {
        for (Rule rule : RULES) {
            if (!rule.file().equals(fileName)) {
                continue;
            }
            NodeList owners = root.getElementsByTagName(rule.element());
            for (int i = 0; i < owners.getLength(); i++) {
                String value = lookup((Element) owners.item(i), rule.key());
                if (value != null) {
                    String resolved = interpolate(value.trim());
                    if (!valid(rule.type(), resolved)) {
                        throw new InvalidConfigurationException("conf/" + fileName + ", " + rule.element() + " #" + (i + 1)
                            + ", key " + rule.key() + ": '" + resolved + "' is not " + describe(rule.type()));
                    }
                }
            }
        }
    }

    private static String lookup(Element owner, String key) {
        String[] parts = key.split("/");
        Element current = owner;
        for (int p = 0; p < parts.length; p++) {
            String part = parts[p];
            if (part.startsWith("@")) {
                return current.hasAttribute(part.substring(1)) ? current.getAttribute(part.substring(1)) : null;
            }
            Element child = null;
            for (Node node = current.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && element.getTagName().equals(part)) {
                    child = element;
                    break;
                }
            }
            if (child == null) {
                return null;
            }
            current = child;
        }
        return current.getTextContent();
    }

    private static String interpolate(String value) {
        Matcher matcher = SYS.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String property = System.getProperty(matcher.group(1));
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(property == null ? matcher.group() : property));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    private static boolean valid(Type type, String value) {
        return switch (type) {
            case INTEGER -> value.matches("-?\\d+");
            case SIZE -> SIZE.matcher(value).matches();
            case BOOLEAN -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
            case ANNOUNCE -> ANNOUNCE.contains(value.toLowerCase(Locale.ROOT));
            case HOST_PORT -> value.isEmpty() || List.of(value.split(",")).stream().map(String::trim)
                .allMatch(bind -> bind.matches("[^:\\s]+:\\d{1,5}") && Integer.parseInt(bind.substring(bind.lastIndexOf(':') + 1)) <= 65535);
        };
    }

    private static String describe(Type type) {
        return switch (type) {
            case INTEGER -> "an integer";
            case SIZE -> "a size (a number of KiB, or with a unit: 36M, 1G)";
            case BOOLEAN -> "true or false";
            case ANNOUNCE -> "one of never, always, forUnauthorizedAddresses";
            case HOST_PORT -> "a list of host:port";
        };
    }
}
