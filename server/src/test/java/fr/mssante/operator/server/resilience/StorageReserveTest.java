package fr.mssante.operator.server.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * The data disk nearly full (issue 16 #4): with less usable space under var/store than MSS_MIN_FREE_SPACE (here a
 * reserve no disk has), every SMTP way in answers 452 4.3.1 at MAIL FROM, so nothing is accepted that could not be
 * stored. (The 452 lifting by itself when space returns: RefuseWhenStorageLowTest and bench/resilience/disk-full.sh.)
 */
class StorageReserveTest {
    private static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Files.createTempDirectory("mss-storage-"), Map.of("mss.storage.minFreeSpace", "1000000G"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everySmtpWayInRefusesWithA452WhenTheReserveIsNotFree() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SMTP_MX))) {
            smtp.reply();
            smtp.command("EHLO client.test");
            assertThat(smtp.command("MAIL FROM:<dr.p@peer.test>")).startsWith("452 4.3.1");
        }
        try (SmtpDialogue smtp = SmtpDialogue.connectTls(server.port(ListeningPorts.SUBMISSIONS), server.clientTls())) {
            smtp.reply();
            smtp.command("EHLO client.test");
            assertThat(smtp.authPlain(ALICE, server.password(ALICE))).startsWith("235");
            assertThat(smtp.command("MAIL FROM:<" + ALICE + ">")).startsWith("452 4.3.1");
        }
    }
}
