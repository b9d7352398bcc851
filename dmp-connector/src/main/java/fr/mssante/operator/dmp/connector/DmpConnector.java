package fr.mssante.operator.dmp.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

import fr.mssante.operator.dmp.connector.transport.DmpTransport;
import fr.mssante.operator.dmp.connector.transport.FilingOutcome;
import fr.mssante.operator.dmp.connector.vihf.VihfSigner;
import fr.mssante.operator.dmp.connector.vihf.VihfSubject;
import fr.mssante.operator.dmp.connector.xds.MappedSubmission;
import fr.mssante.operator.dmp.connector.xds.SubmissionMapper;
import fr.mssante.operator.dmp.outbox.ClaimedSubmission;
import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.DmpOutboxException;
import fr.mssante.operator.dmp.outbox.DocumentAuthor;
import fr.mssante.operator.dmp.outbox.OutboxState;
import fr.mssante.operator.dmp.outbox.Submission;

/**
 * Files outbox rows into the DMP: claim due rows, map each to ITI-41, sign a VIHF for it, send, record the outcome
 * (success → ACCEPTED; registry errors → REJECTED with the registry's text; transport errors → retry with backoff).
 *
 * <p>{@link #runOnce()} processes one batch in the calling thread (tests, tools); {@link #start()} runs
 * {@code threads} workers until {@link #close()}, which lets each worker finish the document in hand and gives the
 * rest of its batch back to the outbox. Several connector JVMs may run against one outbox.
 */
public final class DmpConnector implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(DmpConnector.class);

    private final DmpOutbox outbox;
    private final SubmissionMapper mapper;
    private final VihfSigner signer;
    private final DmpTransport transport;
    private final ConnectorSettings.Worker worker;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    public DmpConnector(DmpOutbox outbox, SubmissionMapper mapper, VihfSigner signer, DmpTransport transport,
                        ConnectorSettings.Worker worker) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.worker = Objects.requireNonNull(worker, "worker");
    }

    /** Claims one batch of due rows and files them, in this thread. */
    public RunSummary runOnce() {
        return processBatch(outbox.claimDue(worker.batchSize(), worker.lease()));
    }

    /** Repeats {@link #runOnce()} until no row is due. */
    public RunSummary runUntilIdle() {
        RunSummary total = RunSummary.EMPTY;
        RunSummary last;
        do {
            last = runOnce();
            total = total.plus(last);
        } while (last.claimed() > 0 && !stopping);
        return total;
    }

    /** Starts the worker threads. */
    public synchronized void start() {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        for (int i = 0; i < worker.threads(); i++) {
            Thread t = new Thread(this::loop, "dmp-connector-" + i);
            threads.add(t);
            t.start();
        }
        LOGGER.info("DMP connector started: {} thread(s), batches of {}, polling every {}", worker.threads(),
            worker.batchSize(), worker.pollInterval());
    }

    private void loop() {
        while (!stopping) {
            List<ClaimedSubmission> batch;
            try {
                batch = outbox.claimDue(worker.batchSize(), worker.lease());
            } catch (DmpOutboxException e) {
                LOGGER.warn("Cannot read the DMP outbox, retrying in {}: {}", worker.pollInterval(), e.getMessage());
                pause();
                continue;
            }
            if (batch.isEmpty()) {
                pause();
            } else {
                processBatch(batch);
            }
        }
    }

    private void pause() {
        try {
            stop.await(worker.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private RunSummary processBatch(List<ClaimedSubmission> batch) {
        int accepted = 0;
        int rejected = 0;
        int retried = 0;
        int failed = 0;
        for (int i = 0; i < batch.size(); i++) {
            ClaimedSubmission c = batch.get(i);
            if (stopping) {
                for (ClaimedSubmission rest : batch.subList(i, batch.size())) {
                    releaseQuietly(rest);
                }
                break;
            }
            Optional<OutboxState> state = file(c);
            if (state.isEmpty()) {
                continue;
            }
            switch (state.get()) {
                case ACCEPTED -> accepted++;
                case REJECTED -> rejected++;
                case QUEUED -> retried++;
                case FAILED -> failed++;
                default -> { }
            }
        }
        return new RunSummary(batch.size(), accepted, rejected, retried, failed);
    }

    /** Files one claimed row; the resulting state, empty when the outcome could not be recorded. */
    private Optional<OutboxState> file(ClaimedSubmission c) {
        FilingOutcome outcome;
        try {
            MappedSubmission mapped = mapper.map(c.submission());
            Element security = signer.securityHeader(subject(c.submission(), mapped.patientCx()));
            outcome = transport.provideAndRegister(mapped.request(), security);
        } catch (IllegalArgumentException e) {
            outcome = new FilingOutcome.Rejected("invalid submission: " + e.getMessage());
        } catch (RuntimeException e) {
            LOGGER.warn("DMP submission {}: unexpected failure before sending", c.id(), e);
            outcome = new FilingOutcome.Retry("connector error: " + e);
        }
        try {
            if (outcome instanceof FilingOutcome.Accepted a) {
                LOGGER.debug("DMP submission {} accepted (attempt {})", c.id(), c.attempts());
                return outbox.markAccepted(c.claim(), a.note()) ? Optional.of(OutboxState.ACCEPTED) : Optional.empty();
            }
            if (outcome instanceof FilingOutcome.Rejected r) {
                LOGGER.warn("DMP submission {} rejected: {}", c.id(), r.errors());
                return outbox.markRejected(c.claim(), r.errors()) ? Optional.of(OutboxState.REJECTED)
                    : Optional.empty();
            }
            FilingOutcome.Retry retry = (FilingOutcome.Retry) outcome;
            LOGGER.debug("DMP submission {} attempt {} failed: {}", c.id(), c.attempts(), retry.reason());
            return outbox.markFailedRetryable(c.claim(), retry.reason());
        } catch (DmpOutboxException e) {
            // the lease will expire and the row be claimed again; a repeated filing is answered "duplicate" → ACCEPTED
            LOGGER.warn("DMP submission {}: cannot record the outcome: {}", c.id(), e.getMessage());
            return Optional.empty();
        }
    }

    private static VihfSubject subject(Submission s, String patientCx) {
        DocumentAuthor author = s.metadata().author();
        // who acts is the mail server's decision (how the submission was proven), never the author the document declares:
        // a row without one is refused, not filed on behalf of whoever the CDA names
        String nationalId = s.senderNationalId();
        if (nationalId == null || nationalId.isBlank()) {
            throw new IllegalArgumentException("no actor for the VIHF: the submission names no one on whose behalf to file");
        }
        boolean authorIsSender = author != null && nationalId.equals(author.nationalId());
        String name = authorIsSender && author.familyName() != null
            ? (author.givenName() == null ? "" : author.givenName() + " ") + author.familyName()
            : s.mailbox();
        return new VihfSubject(nationalId, name, authorIsSender ? author.role() : null, patientCx);
    }

    private void releaseQuietly(ClaimedSubmission c) {
        try {
            outbox.release(c.claim());
        } catch (DmpOutboxException e) {
            LOGGER.debug("DMP submission {}: release failed, its lease will expire", c.id(), e);
        }
    }

    /** Stops the workers: each finishes the document in hand, the rest of its batch goes back to the outbox. */
    @Override
    public void close() {
        stopping = true;
        stop.countDown();
        long deadline = System.nanoTime() + worker.shutdownGrace().toNanos();
        synchronized (this) {
            for (Thread t : threads) {
                try {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (t.isAlive()) {
                    LOGGER.warn("{} still busy after the shutdown grace period; its lease will expire", t.getName());
                }
            }
        }
        transport.close();
        if (!threads.isEmpty()) {
            LOGGER.info("DMP connector stopped");
        }
    }
}
