package fr.mssante.operator.dmp.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.mssante.operator.dmp.connector.testing.FilingEnvironment;
import fr.mssante.operator.dmp.connector.testing.Submissions;
import fr.mssante.operator.dmp.connector.testing.TestPki;
import fr.mssante.operator.dmp.connector.transport.DmpTransport;
import fr.mssante.operator.dmp.connector.transport.FilingOutcome;
import fr.mssante.operator.dmp.connector.vihf.Vihf;
import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.OutboxEntry;
import fr.mssante.operator.dmp.outbox.OutboxState;
import fr.mssante.operator.dmp.connector.vihf.SigningIdentity;
import fr.mssante.operator.dmp.connector.vihf.VihfSigner;
import fr.mssante.operator.dmp.connector.vihf.VihfSubject;
import jakarta.xml.ws.BindingProvider;
import org.apache.cxf.binding.soap.SoapHeader;
import org.apache.cxf.headers.Header;
import org.junit.jupiter.api.AfterAll;
import org.openehealth.ipf.commons.ihe.ws.JaxWsRequestClientFactory;
import org.openehealth.ipf.commons.ihe.ws.WsSecurityInformation;
import org.openehealth.ipf.commons.ihe.ws.WsTransactionConfiguration;
import org.openehealth.ipf.commons.ihe.xds.XDS;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLFactory30;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLQueryResponse30;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Hl7v2Based;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import org.openehealth.ipf.commons.ihe.xds.core.stub.ebrs30.query.AdhocQueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.transform.requests.QueryRegistryTransformer;
import org.openehealth.ipf.commons.ihe.xds.core.transform.responses.QueryResponseTransformer;
import org.openehealth.ipf.commons.ihe.xds.iti18.Iti18PortType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.w3c.dom.Element;

import javax.net.ssl.SSLContext;
import javax.xml.namespace.QName;
import java.util.ArrayList;
import java.util.List;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fr.mssante.operator.testsupport.MutableClock;

/** The connector files into the stand-in over mutual TLS with a signed VIHF, in one JVM. */
class FilingEndToEndTest {
    private static final String UNKNOWN_INS = "299999999999999";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static FilingEnvironment env;

    private MutableClock clock;
    private DmpOutbox outbox;

    @BeforeAll
    static void start() throws Exception {
        env = new FilingEnvironment(Set.of(UNKNOWN_INS));
    }

    @AfterAll
    static void stop() throws Exception {
        env.close();
    }

    @BeforeEach
    void ownOutbox() throws Exception {
        clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        env.useOutboxDatabase(env.newOutboxDatabase());
        outbox = env.outbox(clock);
    }

    private static String uniqueId() {
        return "1.2.250.1.213.1.1.1.55.2026." + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L)
            + "." + SEQUENCE.incrementAndGet();
    }

    @Test
    void filesADocumentWithItsMetadataAndAVerifiedVihf() throws Exception {
        String uid = uniqueId();
        long id = outbox.enqueue(Submissions.crBio("<cr-1@lab.test>", uid)).id();

        RunSummary run = env.connector(clock).runOnce();

        assertThat(run.accepted()).isEqualTo(1);
        OutboxEntry entry = outbox.find(id).orElseThrow();
        assertThat(entry.state()).isEqualTo(OutboxState.ACCEPTED);
        assertThat(entry.attempts()).isEqualTo(1);

        HttpResponse<String> response = env.get("/documents/" + uid);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = JSON.readTree(response.body());
        assertThat(doc.get("patientId").asText()).isEqualTo("279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH");
        assertThat(doc.get("typeCode").asText()).startsWith("11502-2^").endsWith("^2.16.840.1.113883.6.1");
        assertThat(doc.get("formatCode").asText()).startsWith("urn:ihe:lab:xd-lab:2008^");
        assertThat(doc.get("classCode").asText()).startsWith("10^Compte rendu^1.2.250.1.213.1.1.4.1");
        assertThat(doc.get("state").asText()).isEqualTo("APPROVED");
        assertThat(doc.get("title").asText()).isEqualTo("Compte rendu d'examens biologiques");
        assertThat(doc.get("size").asLong()).isEqualTo(entry.documentSize());
        assertThat(doc.get("hash").asText()).hasSize(40);
        assertThat(doc.get("author").asText()).startsWith(Submissions.SENDER_ID + "^KIT^DOC")
            .contains("&1.2.250.1.71.4.2.1&ISO").endsWith("IDNPS");
        // the stand-in only stores after checking the VIHF: its subject and issuer prove it was read and verified
        assertThat(doc.get("vihfSubject").asText()).isEqualTo(Submissions.SENDER_ID);
        assertThat(doc.get("vihfIssuer").asText()).contains("CN=mss-operator.test");

        JsonNode list = JSON.readTree(env.get("/documents").body());
        assertThat(list.get("documents").findValuesAsText("uniqueId")).contains(uid);
    }

    @Test
    void iti18FindDocumentsReturnsTheFiledEntry() throws Exception {
        String uid = uniqueId();
        outbox.enqueue(Submissions.crBio("<cr-18@lab.test>", uid));
        assertThat(env.connector(clock).runOnce().accepted()).isEqualTo(1);

        String patient = Submissions.TEST_INS + "^^^&" + Submissions.TEST_INS_OID + "&ISO";
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(Hl7v2Based.parse(patient, Identifiable.class));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        Element vihf = new VihfSigner(new SigningIdentity(env.organisation().key(), env.organisation().chain()),
            FilingEnvironment.profile(), java.time.Clock.systemUTC())
            .securityHeader(new VihfSubject(Submissions.SENDER_ID, "DOC KIT", null, patient + "^NH"));

        @SuppressWarnings({"rawtypes", "unchecked"})
        JaxWsRequestClientFactory<?> factory = new JaxWsRequestClientFactory(
            (WsTransactionConfiguration) XDS.Interactions.ITI_18.getWsTransactionConfiguration(),
            env.registryUrl().toString(), null, null, null, null, null, null,
            new WsSecurityInformation(true, env.clientSsl(), null, null, null), null);
        Object port = factory.getClient();
        QueryResponse response;
        try {
            SoapHeader header = new SoapHeader(new QName(Vihf.WSSE_NS, "Security"), vihf);
            header.setMustUnderstand(true);
            ((BindingProvider) port).getRequestContext().put(Header.HEADER_LIST, new ArrayList<>(List.of(header)));
            AdhocQueryResponse raw = ((Iti18PortType) port).documentRegistryRegistryStoredQuery(
                new QueryRegistryTransformer().toEbXML(new QueryRegistry(query, QueryReturnType.LEAF_CLASS))
                    .getInternal());
            response = new QueryResponseTransformer(new EbXMLFactory30()).fromEbXML(new EbXMLQueryResponse30(raw));
        } finally {
            factory.restoreClient(port);
        }

        assertThat(response.getStatus()).isEqualTo(Status.SUCCESS);
        assertThat(response.getDocumentEntries()).anySatisfy(e -> {
            assertThat(e.getUniqueId()).isEqualTo(uid);
            assertThat(e.getTypeCode().getCode()).isEqualTo("11502-2");
            assertThat(e.getFormatCode().getCode()).isEqualTo("urn:ihe:lab:xd-lab:2008");
            assertThat(e.getPatientId().getId()).isEqualTo(Submissions.TEST_INS);
        });
    }

    @Test
    void standInDownKeepsRowsQueuedThenFilesThemExactlyOnce() throws Exception {
        String uid = uniqueId();
        long id = outbox.enqueue(Submissions.crBio("<cr-2@lab.test>", uid)).id();
        DmpConnector connector = env.connector(clock);
        env.stopStandIn();
        try {
            assertThat(connector.runOnce().retried()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(30));
            assertThat(connector.runOnce().retried()).isEqualTo(1);
        } finally {
            env.startStandIn();
        }
        OutboxEntry waiting = outbox.find(id).orElseThrow();
        assertThat(waiting.state()).isEqualTo(OutboxState.QUEUED);
        assertThat(waiting.attempts()).isEqualTo(2);
        assertThat(waiting.lastError()).startsWith("transport:");
        assertThat(waiting.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofSeconds(60)));
        assertThat(env.storedCount(uid)).isZero();

        assertThat(connector.runOnce().claimed()).as("not due yet").isZero();
        clock.advance(Duration.ofSeconds(60));
        assertThat(connector.runOnce().accepted()).isEqualTo(1);
        assertThat(connector.runUntilIdle().claimed()).isZero();
        assertThat(outbox.find(id).orElseThrow().state()).isEqualTo(OutboxState.ACCEPTED);
        assertThat(env.storedCount(uid)).isEqualTo(1);

        // the same document enqueued again from another message: the DMP already has it, nothing is filed twice
        long again = outbox.enqueue(Submissions.crBio("<cr-2-forwarded@lab.test>", uid)).id();
        assertThat(connector.runOnce().accepted()).isEqualTo(1);
        assertThat(outbox.find(again).orElseThrow().lastError()).startsWith("already in the DMP: "
            + "XDSDuplicateUniqueIdInRegistry");
        assertThat(env.storedCount(uid)).isEqualTo(1);
    }

    /** Issue 12 #2: who acts is the mail server's decision; a row naming no one is never filed as the CDA's author. */
    @Test
    void aSubmissionNamingNoActorIsRefusedNotFiledAsTheDocumentsAuthor() throws Exception {
        String uid = uniqueId();
        fr.mssante.operator.dmp.outbox.Submission declared = Submissions.crBio("<cr-noactor@lab.test>", uid);
        fr.mssante.operator.dmp.outbox.Submission anonymous = new fr.mssante.operator.dmp.outbox.Submission(declared.messageId(),
            declared.mailbox(), null, declared.mimeType(), declared.document(), null, declared.metadata());
        long id = outbox.enqueue(anonymous).id();

        assertThat(env.connector(clock).runOnce().rejected()).isEqualTo(1);

        OutboxEntry entry = outbox.find(id).orElseThrow();
        assertThat(entry.state()).isEqualTo(OutboxState.REJECTED);
        assertThat(entry.lastError()).contains("no actor for the VIHF");
        assertThat(env.storedCount(uid)).isZero();
    }

    @Test
    void aRegistryRejectionIsFinalWithTheRegistryText() {
        String uid = uniqueId();
        long id = outbox.enqueue(Submissions.crBio("<cr-3@lab.test>", uid, UNKNOWN_INS, 1_000)).id();

        assertThat(env.connector(clock).runOnce().rejected()).isEqualTo(1);

        OutboxEntry entry = outbox.find(id).orElseThrow();
        assertThat(entry.state()).isEqualTo(OutboxState.REJECTED);
        assertThat(entry.lastError()).isEqualTo("XDSUnknownPatientId: patient unknown to the DMP (no DMP for this INS)");
        assertThat(outbox.pollOutcomes(100)).anySatisfy(n -> {
            assertThat(n.id()).isEqualTo(id);
            assertThat(n.error()).contains("XDSUnknownPatientId");
        });
    }

    @Test
    void aVihfSignedOutsideTheTrustIsRefused() throws Exception {
        String uid = uniqueId();
        long id = outbox.enqueue(Submissions.crBio("<cr-4@lab.test>", uid)).id();
        TestPki.Identity foreign = env.pki().foreignOrganisation(FilingEnvironment.ORGANISATION_DN);

        assertThat(env.connector(clock, foreign, t -> t, ConnectorSettings.Worker.defaults()).runOnce().retried())
            .isEqualTo(1);

        OutboxEntry entry = outbox.find(id).orElseThrow();
        assertThat(entry.state()).isEqualTo(OutboxState.QUEUED);
        assertThat(entry.lastError()).startsWith("SOAP fault: VIHF refused: VIHF signed by an untrusted");
        assertThat(env.storedCount(uid)).isZero();
    }

    @Test
    void aTamperedVihfSignatureIsRefused() throws Exception {
        String uid = uniqueId();
        long id = outbox.enqueue(Submissions.crBio("<cr-5@lab.test>", uid)).id();
        // after signing, someone changes the professional the assertion speaks for
        DmpConnector tampering = env.connector(clock, env.organisation(), real -> new DmpTransport() {
            @Override
            public FilingOutcome provideAndRegister(ProvideAndRegisterDocumentSet request, Element security) {
                Element nameId = (Element) security.getElementsByTagNameNS(Vihf.SAML_NS, "NameID").item(0);
                nameId.setTextContent("899999999999");
                return real.provideAndRegister(request, security);
            }
        }, ConnectorSettings.Worker.defaults());

        assertThat(tampering.runOnce().retried()).isEqualTo(1);

        assertThat(outbox.find(id).orElseThrow().lastError())
            .isEqualTo("SOAP fault: VIHF refused: invalid VIHF signature");
        assertThat(env.storedCount(uid)).isZero();
    }

    @Test
    void workerThreadsFileEverythingAndStopCleanly() throws Exception {
        int documents = 20;
        String prefix = uniqueId();
        for (int i = 0; i < documents; i++) {
            outbox.enqueue(Submissions.crBio("<bulk-" + i + "@lab.test>", prefix + "." + i));
        }
        ConnectorSettings.Worker worker = new ConnectorSettings.Worker(2, 3, Duration.ofMillis(100),
            Duration.ofMinutes(5), Duration.ofSeconds(10));
        try (DmpConnector connector = env.connector(clock, env.organisation(), t -> t, worker)) {
            connector.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.list(
                new fr.mssante.operator.dmp.outbox.OutboxFilter(Set.of(OutboxState.ACCEPTED), null, null, null,
                    clock.instant().minusSeconds(1), null), fr.mssante.operator.dmp.outbox.PageRequest.first(100))
                .total() == documents);
        }
        for (int i = 0; i < documents; i++) {
            assertThat(env.storedCount(prefix + "." + i)).isEqualTo(1);
        }
    }

    @Test
    void theStandInRequiresAClientCertificate() throws Exception {
        SSLContext trustOnly = SSLContext.getInstance("TLS");
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("root", env.pki().root());
        tmf.init(ks);
        trustOnly.init(null, tmf.getTrustManagers(), null);
        HttpClient anonymous = HttpClient.newBuilder().sslContext(trustOnly).build();

        assertThatThrownBy(() -> anonymous.send(HttpRequest.newBuilder(
                URI.create(env.repositoryUrl().resolve("/documents").toString())).GET().build(),
            HttpResponse.BodyHandlers.ofString()))
            .isInstanceOf(java.io.IOException.class);
        assertThat(env.get("/documents").statusCode()).isEqualTo(200);
    }
}
