package fr.mssante.operator.extensions.citizen;

import fr.mssante.operator.citizen.CitizenSettings;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.mailet.base.test.FakeMailContext;

import fr.mssante.operator.citizen.Ins;
import fr.mssante.operator.citizen.PatientDomains;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.audit.TestJournals;
import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.register.MailboxRecord;
import fr.mssante.operator.register.MailboxRegistry;
import fr.mssante.operator.vocabulary.MailboxState;
import fr.mssante.operator.extensions.testing.FakeDomainList;
import fr.mssante.operator.extensions.testing.TestDatabase;
import fr.mssante.operator.testsupport.MutableClock;

/** The citizen bridge of the mailet tests: the real register and rules on the embedded PostgreSQL, a fake mailet context. */
final class CitizenFixture {
    static final String PATIENT_DOMAIN = "patient.mss.test";
    static final String HEALTH_SPACE_URL = "https://espace-sante.mss.test/";
    private static int next = 1;

    final DataSource dataSource = TestDatabase.dataSource();
    final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
    final FakeMailContext context = FakeMailContext.defaultContext();
    final MessageEventLog audit = TestJournals.log(dataSource);
    final CitizenBridge bridge = new CitizenBridge(new CitizenSettings(PatientDomains.of(PATIENT_DOMAIN), Set.of(),
        Duration.ofDays(7), HEALTH_SPACE_URL, Optional.empty()), dataSource, new FakeDomainList(PATIENT_DOMAIN, "demo.mss.test"),
        audit, () -> context, clock);
    final MailboxRegistry registry = new MailboxRegistry(dataSource, java.time.Clock.systemUTC());

    /** A citizen with an open space, a fresh INS each time; returns their address in the patient domain. */
    String openCitizen(String personalEmail) throws Exception {
        Ins ins = freshIns();
        bridge.register().registerIfAbsent(ins, PATIENT_DOMAIN, "Jean Test", personalEmail);
        return ins.address(PATIENT_DOMAIN);
    }

    String closedCitizen(String personalEmail) throws Exception {
        Ins ins = freshIns();
        bridge.register().registerIfAbsent(ins, PATIENT_DOMAIN, "Jeanne Test", personalEmail);
        bridge.register().close(ins, clock.instant());
        return ins.address(PATIENT_DOMAIN);
    }

    /** A professional's active mailbox of our register. */
    String professional(String localPart, MailboxKind kind) throws Exception {
        String address = localPart + "-" + System.nanoTime() + "@demo.mss.test";
        registry.create(new MailboxRecord(address, kind, "810000000001", Optional.empty(), Optional.empty(), false,
            Optional.empty(), MailboxState.ACTIVE, Instant.parse("2026-01-01T00:00:00Z"), Optional.empty()), "test");
        return address;
    }

    private static synchronized Ins freshIns() {
        // 1 46 02 63 220 NNN: a man born in February 1946, commune 63220, order NNN (the key is computed)
        // (one database per test JVM: a counter is unique enough)
        return Ins.withKey(String.format("1460263220%03d", next++));
    }
}
