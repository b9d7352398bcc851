package fr.mssante.operator.dmp.connector;

/** What one {@link DmpConnector#runOnce()} did. */
public record RunSummary(int claimed, int accepted, int rejected, int retried, int failed) {
    public static final RunSummary EMPTY = new RunSummary(0, 0, 0, 0, 0);

    public RunSummary plus(RunSummary o) {
        return new RunSummary(claimed + o.claimed, accepted + o.accepted, rejected + o.rejected, retried + o.retried,
            failed + o.failed);
    }
}
