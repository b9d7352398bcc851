package fr.mssante.operator.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.ImapDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * {@code 1:*} on an empty mailbox matches nothing (RFC 3501 §9: {@code *} is the largest number in use; RFC 9051 §6.4.x:
 * such commands answer OK). James 3.8.1 answers STORE with BAD Invalid messageset; upstream fixed FETCH after 3.8.1
 * (JAMES-4060, here {@code EmptyMailboxFetchProcessor}). COPY/MOVE are left as James answers: its MoveNoMSG script
 * expects BAD.
 */
class EmptyMailboxSetTest {
    @Test
    void storeAndSearchOfEverythingInAnEmptyMailboxAnswerOk() throws Exception {
        TestServer server = TestServer.shared();
        String user = "laboratoire.resultats@" + DemoData.DOMAIN;
        String folder = "Vide" + System.nanoTime();
        try (ImapDialogue imap = ImapDialogue.connectTls(server.port(ListeningPorts.IMAPS), server.clientTls())) {
            assertThat(imap.status("LOGIN \"" + user + "\" \"" + server.password(user) + "\"")).contains("OK");
            assertThat(imap.status("CREATE " + folder)).contains("OK");
            assertThat(imap.status("SELECT " + folder)).contains("OK");
            assertThat(imap.status("STORE 1:* +FLAGS (\\Seen)")).contains(" OK ");
            assertThat(imap.status("UID STORE 1:* +FLAGS (\\Seen)")).contains(" OK ");
            assertThat(imap.command("SEARCH 1:*")).contains("* SEARCH\n").contains(" OK ");
            assertThat(imap.command("UID SEARCH 1:*")).contains("* SEARCH\n").contains(" OK ");
        }
    }
}
