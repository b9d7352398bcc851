package fr.mssante.operator.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.james.core.Username;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.modules.QuotaProbesImpl;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Through the running server: deliveries to one mailbox on several submission connections at once (the spool's
 * threads append side by side) each count once in the user's quota usage, which James's own usage manager did not
 * guarantee (it lost updates that overlapped, {@link AtomicCurrentQuotaManagerTest}).
 */
class QuotaUsageInStackTest {
    private static final String SENDER = "alice.martin@" + DemoData.DOMAIN;
    private static final String RECIPIENT = "bruno.durand@" + DemoData.DOMAIN;
    private static final int CONNECTIONS = 6;
    private static final int MESSAGES_PER_CONNECTION = 6;

    @Test
    void concurrentDeliveriesToOneMailboxEachCountOnce() throws Exception {
        TestServer server = TestServer.shared();
        MailClient client = new MailClient(server);
        QuotaProbesImpl quotas = server.runtime().server().getProbe(QuotaProbesImpl.class);
        QuotaRoot root = quotas.getQuotaRoot(MailboxPath.inbox(Username.of(RECIPIENT)));
        long usedBefore = quotas.getMessageCountQuota(root).getUsed().asLong();
        int inboxBefore = client.inboxCount(RECIPIENT);
        String run = UUID.randomUUID().toString();

        ExecutorService connections = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int connection = c;
                sent.add(connections.submit(() -> {
                    for (int m = 0; m < MESSAGES_PER_CONNECTION; m++) {
                        client.submit(SENDER, client.newMessage(SENDER, RECIPIENT, "quota " + run + " " + connection + "/" + m,
                            "Compte rendu " + m));
                    }
                    return null;
                }));
            }
            for (Future<?> future : sent) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            connections.shutdownNow();
        }

        int delivered = CONNECTIONS * MESSAGES_PER_CONNECTION;
        await().atMost(Duration.ofSeconds(90)).until(() -> client.inboxCount(RECIPIENT) >= inboxBefore + delivered);
        assertThat(client.inboxCount(RECIPIENT)).isEqualTo(inboxBefore + delivered);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(quotas.getMessageCountQuota(root).getUsed().asLong()).isEqualTo(usedBefore + delivered));
    }
}
