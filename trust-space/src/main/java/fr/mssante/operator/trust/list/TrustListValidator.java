package fr.mssante.operator.trust.list;

/**
 * Decides whether a freshly parsed list may replace the current one: never an empty list, never one that shrank
 * suspiciously (fewer than {@code minRatio} of the previous entries) unless an operator accepts it explicitly, never
 * one with too many skipped entries.
 */
public final class TrustListValidator {
    public static final double DEFAULT_MIN_RATIO = 0.9;

    private final double minRatio;

    public TrustListValidator() {
        this(DEFAULT_MIN_RATIO);
    }

    /** @param minRatio minimum entries of the candidate relative to the previous list, in [0, 1] */
    public TrustListValidator(double minRatio) {
        if (minRatio < 0 || minRatio > 1) {
            throw new IllegalArgumentException("minRatio must be within [0, 1]: " + minRatio);
        }
        this.minRatio = minRatio;
    }

    public double minRatio() {
        return minRatio;
    }

    /**
     * @param previous the list in force (empty when none)
     * @param candidate the downloaded list
     */
    public Verdict validate(TrustList previous, TrustList candidate) {
        return validate(previous, candidate, false);
    }

    /**
     * @param previous the list in force (empty when none)
     * @param candidate the downloaded list
     * @param acceptSmaller an operator accepts, this once, a list that shrank more than {@code minRatio} allows
     *     (never an empty one, never one with too many unreadable entries)
     */
    public Verdict validate(TrustList previous, TrustList candidate, boolean acceptSmaller) {
        if (candidate == null || candidate.isEmpty()) {
            return Verdict.refuse("empty list");
        }
        int skipped = candidate.skippedEntries().size();
        if (skipped * 10 > candidate.entryCount() + skipped) {
            return Verdict.refuse(skipped + " unreadable entries out of " + (candidate.entryCount() + skipped));
        }
        if (previous != null && !previous.isEmpty() && !acceptSmaller) {
            long min = (long) Math.ceil(previous.entryCount() * minRatio);
            if (candidate.entryCount() < min) {
                return Verdict.refuse("suspiciously small: " + candidate.entryCount() + " entries, previous list had "
                        + previous.entryCount() + " (minimum " + min + ")");
            }
        }
        return Verdict.OK;
    }

    /**
     * @param accepted whether the candidate may replace the current list
     * @param reason why not (empty when accepted)
     */
    public record Verdict(boolean accepted, String reason) {
        public static final Verdict OK = new Verdict(true, "");

        public static Verdict refuse(String reason) {
            return new Verdict(false, reason);
        }
    }
}
