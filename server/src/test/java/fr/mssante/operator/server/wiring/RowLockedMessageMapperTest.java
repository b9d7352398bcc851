package fr.mssante.operator.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.mail.Flags;
import javax.persistence.EntityManagerFactory;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.james.core.Username;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.jpa.JPAId;
import org.apache.james.mailbox.jpa.mail.JPAMailboxMapper;
import org.apache.james.mailbox.jpa.openjpa.OpenJPAMessageFactory;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageMetaData;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.ThreadId;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.mailbox.store.FlagsUpdateCalculator;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.model.DefaultMessageId;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.mail.model.impl.PropertyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.database.DatabaseSettings;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Two server JVMs ("nodes": two OpenJPA factories, as two JVMs would have) deliver into one mailbox of the same
 * PostgreSQL at once, with no lock in common but the database's. Each UID is given once, consecutively, and no
 * reader ever sees a UID before all smaller ones (an IMAP client that saw UID n+1 would never fetch n).
 */
class RowLockedMessageMapperTest {
    private static final int WRITERS = 6;
    private static final int APPENDS_PER_WRITER = 25;

    /** The mapper under test; James's own (JPAMessageMapper with JPAUidProvider/JPAModSeqProvider) fails both tests. */
    private static final Function<EntityManagerFactory, MessageMapper> MAPPERS = RowLockedMessageMapper::create;

    private static DatabaseSettings database;
    private static EntityManagerFactory nodeA;
    private static EntityManagerFactory nodeB;

    @BeforeAll
    static void twoNodes() throws Exception {
        database = TestServer.shared().runtime().databaseSettings();
        nodeA = JpaStorageModule.create(database, new BaseConfiguration());
        nodeB = JpaStorageModule.create(database, new BaseConfiguration());
    }

    @AfterAll
    static void close() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void twoNodesAppendingToOneMailboxGetEachUidOnceAndInOrder() throws Exception {
        Mailbox mailbox = newMailbox("uids");
        Set<Long> uids = ConcurrentHashMap.newKeySet();
        Set<Long> modSeqs = ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new CopyOnWriteArrayList<>();

        runWriters(mailbox, metadata -> {
            uids.add(metadata.getUid().asLong());
            modSeqs.add(metadata.getModSeq().asLong());
        }, failures);

        int total = WRITERS * APPENDS_PER_WRITER;
        assertThat(failures).isEmpty();
        assertThat(uids).hasSize(total).allMatch(uid -> uid >= 1 && uid <= total);
        assertThat(modSeqs).hasSize(total);
        assertThat(storedUids(mailbox)).hasSize(total).isSorted().containsExactlyElementsOf(uids.stream().sorted().toList());
        assertThat(counters(mailbox)).containsExactly((long) total, (long) total);
    }

    /**
     * More appenders than pooled connections on each node, all into one mailbox, with messages whose properties make
     * OpenJPA allocate ids from its sequence table: the appender holding the mailbox row lock must never need a
     * connection from the pool that the appenders waiting for that row lock have exhausted (it did: OpenJPA took the
     * sequence's connection from the same pool, and every node hung for good).
     */
    @Test
    void moreAppendersThanPooledConnectionsNeverDeadlock() throws Exception {
        BaseConfiguration smallPool = new BaseConfiguration();
        smallPool.setProperty("datasource.MaxTotal", "3");
        EntityManagerFactory smallA = JpaStorageModule.create(database, smallPool);
        EntityManagerFactory smallB = JpaStorageModule.create(database, smallPool);
        ExecutorService appenders = Executors.newFixedThreadPool(16);
        boolean finished = false;
        try {
            Mailbox mailbox = newMailbox("pool");
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (EntityManagerFactory node : List.of(smallA, smallB)) {
                // one append alone first: OpenJPA reads the schema of each entity class on its first use (a second
                // connection too); after it, only the sequence allocations need one
                MessageMapper mapper = MAPPERS.apply(node);
                try {
                    MailboxMessage message = message(mailbox);
                    mapper.execute(() -> mapper.add(mailbox, message));
                } finally {
                    mapper.endRequest();
                }
            }
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                EntityManagerFactory node = w % 2 == 0 ? smallA : smallB;
                done.add(appenders.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        MessageMapper mapper = MAPPERS.apply(node);
                        try {
                            MailboxMessage message = message(mailbox);
                            mapper.execute(() -> mapper.add(mailbox, message));
                        } catch (Throwable e) {
                            failures.add(e);
                        } finally {
                            mapper.endRequest();
                        }
                    }
                }));
            }
            for (Future<?> each : done) {
                try {
                    each.get(90, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("appenders still blocked after 90 s: pool deadlock", e);
                }
            }
            finished = true;
            assertThat(failures).isEmpty();
            assertThat(storedUids(mailbox)).hasSize(2 + 16 * 20).isSorted();
        } finally {
            appenders.shutdownNow();
            if (finished) {   // closing a factory whose connections are stuck in a deadlock fails and hides it
                smallA.close();
                smallB.close();
            }
        }
    }

    @Test
    void aReaderNeverSeesAUidWhoseSmallerUidsAreNotVisibleYet() throws Exception {
        Mailbox mailbox = newMailbox("order");
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<String> holes = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try {
                while (writing.get()) {
                    List<Long> seen = storedUids(mailbox);
                    reads.incrementAndGet();
                    for (int i = 0; i < seen.size(); i++) {
                        if (seen.get(i) != i + 1) {
                            holes.add("UID " + seen.get(i) + " visible at position " + (i + 1));
                            break;
                        }
                    }
                }
            } catch (Exception e) {
                failures.add(e);
            }
        });
        reader.start();
        try {
            runWriters(mailbox, metadata -> { }, failures);
        } finally {
            writing.set(false);
            reader.join();
        }

        assertThat(failures).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(holes).isEmpty();
        assertThat(storedUids(mailbox)).hasSize(WRITERS * APPENDS_PER_WRITER);
    }

    /**
     * Two nodes change the flags of the same messages at once, each thread adding its own flag: every message ends with
     * every flag (James's mapper read the flags before locking the mailbox row, and a change overwrote another).
     */
    @Test
    void concurrentFlagChangesOfOneMessageAreNeverLost() throws Exception {
        Mailbox mailbox = newMailbox("flags");
        List<Long> uids = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            MessageMapper mapper = MAPPERS.apply(nodeA);
            try {
                MailboxMessage message = message(mailbox);
                uids.add(mapper.execute(() -> mapper.add(mailbox, message)).getUid().asLong());
            } finally {
                mapper.endRequest();
            }
        }
        List<Flags> flags = List.of(new Flags(Flags.Flag.SEEN), new Flags(Flags.Flag.FLAGGED),
            new Flags(Flags.Flag.ANSWERED), new Flags(Flags.Flag.DRAFT), new Flags("$Label1"), new Flags("$Label2"));
        ExecutorService threads = Executors.newFixedThreadPool(flags.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < flags.size(); t++) {
                Flags added = flags.get(t);
                EntityManagerFactory node = t % 2 == 0 ? nodeA : nodeB;
                done.add(threads.submit(() -> {
                    for (long uid : uids) {
                        MessageMapper mapper = MAPPERS.apply(node);
                        try {
                            mapper.execute(() -> listOf(mapper.updateFlags(mailbox,
                                new FlagsUpdateCalculator(added, MessageManager.FlagsUpdateMode.ADD),
                                MessageRange.one(MessageUid.of(uid)))));
                        } finally {
                            mapper.endRequest();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get(2, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        Flags all = new Flags();
        flags.forEach(all::add);
        MessageMapper reader = MAPPERS.apply(nodeB);
        try {
            java.util.Iterator<MailboxMessage> messages = reader.findInMailbox(mailbox, MessageRange.all(),
                MessageMapper.FetchType.METADATA, -1);
            int seen = 0;
            while (messages.hasNext()) {
                MailboxMessage message = messages.next();
                assertThat(message.createFlags().contains(all)).as("flags of UID %s: %s", message.getUid(),
                    message.createFlags()).isTrue();
                seen++;
            }
            assertThat(seen).isEqualTo(uids.size());
        } finally {
            reader.endRequest();
        }
    }

    private static List<Object> listOf(java.util.Iterator<?> iterator) {
        List<Object> all = new ArrayList<>();
        iterator.forEachRemaining(all::add);
        return all;
    }

    /** The appended message's searchable text is written in the append's transaction: with it, or not at all. */
    @Test
    void theSearchableTextCommitsWithTheMessageAndRollsBackWithIt() throws Exception {
        Mailbox mailbox = newMailbox("text");
        MessageMapper committed = MAPPERS.apply(nodeA);
        MessageMetaData first;
        try {
            first = committed.execute(() -> committed.add(mailbox, message(mailbox)));
        } finally {
            committed.endRequest();
        }
        MessageMapper rolledBack = MAPPERS.apply(nodeB);
        try {
            assertThatThrownBy(() -> rolledBack.execute(() -> {
                rolledBack.add(mailbox, message(mailbox));
                throw new MailboxException("the delivery fails after the append");
            })).isInstanceOf(MailboxException.class);
        } finally {
            rolledBack.endRequest();
        }

        assertThat(storedUids(mailbox)).containsExactly(first.getUid().asLong());
        assertThat(indexedHeaders(mailbox)).containsOnlyKeys(first.getUid().asLong());
        assertThat(indexedHeaders(mailbox).get(first.getUid().asLong())).contains("subject: row lock");
    }

    private static java.util.Map<Long, String> indexedHeaders(Mailbox mailbox) throws Exception {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT uid, headers FROM mss.message_search_text WHERE mailbox_id = ?")) {
            query.setLong(1, ((JPAId) mailbox.getMailboxId()).getRawId());
            java.util.Map<Long, String> rows = new java.util.HashMap<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.put(row.getLong(1), row.getString(2));
                }
            }
            return rows;
        }
    }

    private static void runWriters(Mailbox mailbox, java.util.function.Consumer<MessageMetaData> appended,
                                   List<Throwable> failures) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                EntityManagerFactory node = w % 2 == 0 ? nodeA : nodeB;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                        MessageMapper mapper = MAPPERS.apply(node);   // one delivery = one mailbox session = one mapper
                        try {
                            MailboxMessage message = message(mailbox);
                            appended.accept(mapper.execute(() -> mapper.add(mailbox, message)));
                        } catch (Throwable e) {
                            failures.add(e);
                        } finally {
                            mapper.endRequest();
                        }
                    }
                }));
            }
            for (Future<?> each : done) {
                each.get(2, TimeUnit.MINUTES);
            }
        } finally {
            writers.shutdownNow();
        }
    }

    private static Mailbox newMailbox(String name) throws MailboxException {
        JPAMailboxMapper mapper = new JPAMailboxMapper(nodeA);
        try {
            MailboxPath path = MailboxPath.forUser(Username.of("rowlock-" + name + "-" + System.nanoTime() + "@ours.test"), "INBOX");
            return mapper.executeReactive(mapper.create(path, UidValidity.generate())).block();
        } finally {
            mapper.endRequest();
        }
    }

    private static MailboxMessage message(Mailbox mailbox) throws MailboxException {
        byte[] bytes = "Subject: row lock\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        PropertyBuilder properties = new PropertyBuilder();
        properties.setMediaType("text");
        properties.setSubType("plain");
        properties.setTextualLineCount(1L);
        properties.setCharset("us-ascii");
        properties.setContentTypeParameters(java.util.Map.of("charset", "us-ascii", "format", "flowed"));
        DefaultMessageId id = new DefaultMessageId();
        return new OpenJPAMessageFactory(OpenJPAMessageFactory.AdvancedFeature.None).createMessage(id, ThreadId.fromBaseMessageId(id),
            mailbox, new Date(), new Date(), bytes.length, 21, new Content() {
                @Override
                public java.io.InputStream getInputStream() {
                    return new java.io.ByteArrayInputStream(bytes);
                }

                @Override
                public long size() {
                    return bytes.length;
                }
            }, new Flags(), properties, List.of());
    }

    private static List<Long> storedUids(Mailbox mailbox) throws Exception {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement("SELECT mail_uid FROM james_mail WHERE mailbox_id = ? ORDER BY mail_uid")) {
            query.setLong(1, ((JPAId) mailbox.getMailboxId()).getRawId());
            List<Long> uids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    uids.add(rows.getLong(1));
                }
            }
            return uids;
        }
    }

    private static List<Long> counters(Mailbox mailbox) throws Exception {
        try (Connection connection = connect();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT mailbox_last_uid, mailbox_highest_modseq FROM james_mailbox WHERE mailbox_id = ?")) {
            query.setLong(1, ((JPAId) mailbox.getMailboxId()).getRawId());
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return List.of(row.getLong(1), row.getLong(2));
            }
        }
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection(database.urlForSchema(DatabaseSettings.JAMES_SCHEMA), database.user(), database.password());
    }
}
