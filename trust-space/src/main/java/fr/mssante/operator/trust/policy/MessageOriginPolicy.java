package fr.mssante.operator.trust.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import fr.mssante.operator.trust.dn.DistinguishedName;
import fr.mssante.operator.trust.list.Domains;
import fr.mssante.operator.trust.list.TrustList;

/**
 * Binds what a message says about its origin to the certificate that delivered it. The trust space rule at MAIL FROM
 * ({@link TrustSpacePolicy}) binds only the envelope; this one binds the headers that a reader sees:
 * <ul>
 *   <li>our own domains never arrive from another operator, in the envelope or in {@code From:}/{@code Sender:};</li>
 *   <li>exactly one readable {@code From:} field, and every {@code From:} and {@code Sender:} domain listed in the
 *       liste blanche for the presenting certificate's DN;</li>
 *   <li>the null reverse-path only for delivery and disposition reports ({@code multipart/report} with
 *       {@code report-type} {@code delivery-status} or {@code disposition-notification}); a report's
 *       {@code From:} (a postmaster or mailer-daemon, often at the MX's host name) may also be in a sub-domain of a
 *       domain listed for the certificate.</li>
 * </ul>
 * Stateless; thread-safe.
 */
public final class MessageOriginPolicy {
    private static final Set<String> REPORT_TYPES = Set.of("delivery-status", "disposition-notification");

    /** At MAIL FROM: a reverse-path in one of our domains never comes from another operator. */
    public PolicyDecision checkEnvelope(String mailFromDomain, Predicate<String> isOwnDomain) {
        String domain = Domains.normalize(mailFromDomain);
        if (!domain.isEmpty() && isOwnDomain.test(domain)) {
            return ownDomain("sender", domain);
        }
        return PolicyDecision.accept("envelope domain not ours");
    }

    /**
     * At the end of DATA.
     *
     * @param origin what the message says
     * @param presented subject DN of the certificate the operator presented (already validated at MAIL FROM)
     * @param list the liste blanche in force
     * @param isOwnDomain whether a (normalised) domain is one of ours
     */
    public PolicyDecision checkMessage(MessageOrigin origin, DistinguishedName presented, TrustList list,
                                       Predicate<String> isOwnDomain) {
        boolean report = isReport(origin.contentType());
        if (origin.nullSender() && !report) {
            return new PolicyDecision(false, PolicyReason.NULL_SENDER_NOT_A_REPORT, 550, "5.7.1",
                    "null reverse-path accepted only for delivery and disposition reports (multipart/report)");
        }
        PolicyDecision envelope = checkEnvelope(origin.envelopeDomain(), isOwnDomain);
        if (!envelope.accepted()) {
            return envelope;
        }
        if (origin.fromFields() != 1 || origin.fromDomains().isEmpty()) {
            return new PolicyDecision(false, PolicyReason.HEADER_FROM_INVALID, 550, "5.7.1",
                    origin.fromFields() == 0 ? "From: header missing" : origin.fromFields() > 1
                            ? "several From: header fields" : "From: header without an address");
        }
        List<String[]> checked = new ArrayList<>();
        origin.fromDomains().forEach(domain -> checked.add(new String[] {"From:", domain}));
        origin.senderDomains().forEach(domain -> checked.add(new String[] {"Sender:", domain}));
        for (String[] field : checked) {
            String domain = Domains.normalize(field[1]);
            if (domain.isEmpty()) {
                return new PolicyDecision(false, PolicyReason.HEADER_FROM_INVALID, 550, "5.7.1",
                        "unreadable address in the " + field[0] + " header");
            }
            if (isOwnDomain.test(domain)) {
                return ownDomain(field[0], domain);
            }
        }
        if (list == null || list.isEmpty()) {
            return new PolicyDecision(false, PolicyReason.TRUST_LIST_UNAVAILABLE, 451, "4.3.0",
                    "MSSante liste blanche not available, try again later");
        }
        for (String[] field : checked) {
            String domain = Domains.normalize(field[1]);
            if (!bound(domain, presented, list, report)) {
                return new PolicyDecision(false, PolicyReason.HEADER_DOMAIN_NOT_LISTED, 550, "5.7.1",
                        field[0] + " domain " + domain + " not listed for certificate DN "
                                + (presented == null ? "(none)" : presented.original()));
            }
        }
        return PolicyDecision.accept(report ? "report from a listed operator" : "headers bound to the operator");
    }

    private static boolean bound(String domain, DistinguishedName presented, TrustList list, boolean report) {
        if (presented == null) {
            return false;
        }
        if (list.isListed(domain, presented)) {
            return true;
        }
        if (report) {
            for (String listed : list.domainsFor(presented)) {
                if (domain.endsWith("." + listed)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether a Content-Type value is a delivery or disposition report: {@code multipart/report} with
     * {@code report-type=delivery-status} or {@code disposition-notification} (RFC 6522, 3464, 8098).
     */
    public static boolean isReport(String contentType) {
        if (contentType == null) {
            return false;
        }
        List<String> parts = splitParameters(contentType);
        if (parts.isEmpty() || !parts.get(0).strip().equalsIgnoreCase("multipart/report")) {
            return false;
        }
        for (String parameter : parts.subList(1, parts.size())) {
            int eq = parameter.indexOf('=');
            if (eq > 0 && parameter.substring(0, eq).strip().equalsIgnoreCase("report-type")) {
                String value = parameter.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return REPORT_TYPES.contains(value.strip().toLowerCase(Locale.ROOT));
            }
        }
        return false;
    }

    /** Splits at the semicolons that are not inside a quoted string; comments are not expected here. */
    private static List<String> splitParameters(String value) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < value.length()) {
                current.append(c).append(value.charAt(++i));
                continue;
            }
            if (c == ';' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else if (c != '\r' && c != '\n') {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static PolicyDecision ownDomain(String field, String domain) {
        return new PolicyDecision(false, PolicyReason.OWN_DOMAIN_FROM_OUTSIDE, 550, "5.7.1",
                field + " domain " + domain + " is ours: it never arrives from another operator");
    }
}
