package fr.mssante.operator.trust.testpki;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a development PKI and a matching liste blanche into a directory.
 *
 * <pre>
 * java -cp trust-space.jar:bcprov.jar:bcpkix.jar:bcutil.jar:slf4j-api.jar \
 *   fr.mssante.operator.trust.testpki.TestPkiMain DIR [--password PW] [--crl-url URL] [--ocsp-url URL]
 *   [--audit-base DOMAIN] [DOMAIN=HOST ...]
 * </pre>
 *
 * For each {@code DOMAIN=HOST} (default {@code demo.mssante.test=mx.demo.mssante.test}) it issues an operator
 * certificate {@code CN=HOST,...} written as {@code HOST.{crt.pem,chain.pem,key.pem,p12}} and lists (DOMAIN, DN).
 * With {@code --audit-base} it also writes the audit identities ({@code audit-<case>.*}) and lists their domains.
 * The liste blanche is {@code liste-blanche.xml}. Default PKCS12 password: {@code changeit}.
 */
public final class TestPkiMain {
    private TestPkiMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: TestPkiMain DIR [--password PW] [--crl-url URL] [--ocsp-url URL] "
                    + "[--audit-base DOMAIN] [DOMAIN=HOST ...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        char[] password = "changeit".toCharArray();
        TestPki.Builder builder = TestPki.builder();
        String auditBase = null;
        List<String[]> operators = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--password" -> password = args[++i].toCharArray();
                case "--crl-url" -> builder.crlUrl(URI.create(args[++i]));
                case "--ocsp-url" -> builder.ocspUrl(URI.create(args[++i]));
                case "--audit-base" -> auditBase = args[++i];
                default -> operators.add(args[i].split("=", 2));
            }
        }
        if (operators.isEmpty()) {
            operators.add(new String[] {"demo.mssante.test", "mx.demo.mssante.test"});
        }
        TestPki pki = builder.build();
        List<ListedPair> pairs = write(pki, dir, operators, auditBase, password);
        Files.writeString(dir.resolve("liste-blanche.xml"), pki.listeBlanche(pairs), StandardCharsets.UTF_8);
        System.out.println("test PKI written to " + dir.toAbsolutePath() + " (" + pairs.size() + " listed pairs)");
    }

    /** Writes the PKI, the operator and audit identities; returns the pairs to list. */
    public static List<ListedPair> write(TestPki pki, Path dir, List<String[]> operators, String auditBase,
                                         char[] password) throws IOException {
        pki.writeTo(dir);
        List<ListedPair> pairs = new ArrayList<>();
        for (String[] op : operators) {
            if (op.length != 2 || op[0].isBlank() || op[1].isBlank()) {
                throw new IllegalArgumentException("expected DOMAIN=HOST: " + String.join("=", op));
            }
            String dn = operatorDn(op[1]);
            pki.writeIdentity(dir, op[1], pki.issue(dn), password);
            pairs.add(new ListedPair(op[0], dn, "Operateur de test " + op[0]));
        }
        if (auditBase != null) {
            List<AuditPeer> peers = pki.auditPeers(auditBase);
            for (AuditPeer p : peers) {
                pki.writeIdentity(dir, "audit-" + p.auditCase().prefix(), p.presented(), password);
            }
            pairs.addAll(TestPki.listedPairs(peers));
            pki.writeTo(dir); // the CRL now lists the revoked audit certificate
        }
        return pairs;
    }

    /** The IGC-Santé-like subject DN of an operator server. */
    public static String operatorDn(String host) {
        return "CN=" + host + ",OU=999999999999999,O=OPERATEUR DE TEST,ST=Paris (75),C=FR";
    }
}
