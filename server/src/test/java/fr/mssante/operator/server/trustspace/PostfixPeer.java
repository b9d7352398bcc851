package fr.mssante.operator.server.trustspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import fr.mssante.operator.testsupport.RequiredTools;

/**
 * A private Postfix instance (Debian package) as another operator's MTA, on loopback, with its own configuration,
 * queue and mail directories under one folder: port {@code tlsPort} receives with a required client certificate,
 * port {@code injectPort} takes test mail from loopback in plain SMTP, and everything not for its own domain is relayed
 * to {@code relayPort} (our MX) over mandatory TLS presenting its own certificate.
 */
final class PostfixPeer implements AutoCloseable {
    static final Path POSTFIX = Path.of("/usr/sbin/postfix");

    private final Path directory;
    private final Path conf;

    PostfixPeer(Path directory, String domain, int tlsPort, int injectPort, int relayPort, Path certificateChain,
                Path privateKey, Path caFile) throws IOException, InterruptedException {
        this.directory = directory;
        this.conf = directory.resolve("conf");
        Files.createDirectories(conf);
        for (String sub : List.of("queue", "data", "mail")) {
            Files.createDirectories(directory.resolve(sub));
        }
        // postfix's unprivileged processes must reach their folders: open the temporary tree to them (test only)
        for (Path path = directory; path != null && path.startsWith(directory.getParent().getParent()); path = path.getParent()) {
            run("chmod", "755", path.toString());
        }
        run("chown", "postfix", directory.resolve("data").toString());
        run("chown", "postfix:postfix", directory.resolve("mail").toString());
        Files.writeString(conf.resolve("main.cf"), String.join("\n",
            "compatibility_level = 3.6",
            "queue_directory = " + directory.resolve("queue"),
            "data_directory = " + directory.resolve("data"),
            "inet_interfaces = 127.0.0.1",
            "inet_protocols = ipv4",
            "myhostname = mx." + domain,
            "mydomain = " + domain,
            "mydestination =",
            "mynetworks = 127.0.0.0/8",
            "maillog_file = " + directory.resolve("maillog"),
            "maillog_file_prefixes = " + directory,
            "virtual_mailbox_domains = " + domain,
            "virtual_mailbox_base = " + directory.resolve("mail"),
            "virtual_mailbox_maps = static:mailbox/",
            "virtual_uid_maps = static:" + id("-u", "postfix"),
            "virtual_gid_maps = static:" + id("-g", "postfix"),
            "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
            "relayhost = [127.0.0.1]:" + relayPort,
            "smtp_tls_security_level = encrypt",
            "smtp_tls_CAfile = " + caFile,
            "smtp_tls_cert_file = " + certificateChain,
            "smtp_tls_key_file = " + privateKey,
            "smtp_tls_loglevel = 1",
            "smtpd_tls_cert_file = " + certificateChain,
            "smtpd_tls_key_file = " + privateKey,
            "smtpd_tls_CAfile = " + caFile,
            "smtpd_tls_loglevel = 1",
            "") + "\n");
        Files.writeString(conf.resolve("master.cf"), String.join("\n",
            tlsPort + " inet n - n - - smtpd",
            "  -o smtpd_tls_security_level=encrypt",
            "  -o smtpd_tls_ask_ccert=yes",
            "  -o smtpd_tls_req_ccert=yes",
            injectPort + " inet n - n - - smtpd",
            "  -o smtpd_tls_security_level=none",
            "pickup unix n - n 60 1 pickup",
            "cleanup unix n - n - 0 cleanup",
            "qmgr unix n - n 300 1 qmgr",
            "tlsmgr unix - - n 1000? 1 tlsmgr",
            "rewrite unix - - n - - trivial-rewrite",
            "bounce unix - - n - 0 bounce",
            "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce",
            "verify unix - - n - 1 verify",
            "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap",
            "smtp unix - - n - - smtp",
            "relay unix - - n - - smtp",
            "showq unix n - n - - showq",
            "error unix - - n - - error",
            "retry unix - - n - - error",
            "discard unix - - n - - discard",
            "virtual unix - n n - - virtual",
            "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache",
            "postlog unix-dgram n - n - 1 postlogd",
            "") + "\n");
        run(POSTFIX.toString(), "-c", conf.toString(), "start");
    }

    /** Postfix installed, and root to start it (skips, or fails under MSS_REQUIRE_PEERS=true). */
    static void require() {
        RequiredTools.require(POSTFIX.toString(), "postfix");
        RequiredTools.requireThat("root".equals(System.getProperty("user.name")), "a Postfix peer needs root");
    }

    /** Stops announcing DSN in its EHLO reply (a peer that does not support RFC 3461), and reloads. */
    void withoutDsn() throws IOException, InterruptedException {
        run("/usr/sbin/postconf", "-c", conf.toString(), "-e", "smtpd_discard_ehlo_keywords=dsn");
        run(POSTFIX.toString(), "-c", conf.toString(), "reload");
    }

    /** Stops presenting a client certificate when relaying (the negative audit case), and reloads. */
    void withoutClientCertificate() throws IOException, InterruptedException {
        run("/usr/sbin/postconf", "-c", conf.toString(), "-e", "smtp_tls_cert_file=", "smtp_tls_key_file=");
        run(POSTFIX.toString(), "-c", conf.toString(), "reload");
        run(POSTFIX.toString(), "-c", conf.toString(), "flush");
    }

    String log() throws IOException {
        Path log = directory.resolve("maillog");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Every message delivered into the instance's Maildir, as text. */
    List<String> delivered() throws IOException {
        Path inbox = directory.resolve("mail/mailbox/new");
        if (!Files.isDirectory(inbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(inbox)) {
            return files.map(file -> {
                try {
                    return Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            }).toList();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(POSTFIX.toString(), "-c", conf.toString(), "stop");
    }

    private static String id(String flag, String user) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("id", flag, user).start();
        process.waitFor(10, TimeUnit.SECONDS);
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: "
                + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
