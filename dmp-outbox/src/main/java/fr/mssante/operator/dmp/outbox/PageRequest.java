package fr.mssante.operator.dmp.outbox;

/** Offset paging, newest first. */
public record PageRequest(int offset, int limit) {
    public static final int MAX_LIMIT = 500;

    public PageRequest {
        if (offset < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("offset >= 0 and 1 <= limit <= " + MAX_LIMIT);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(0, limit);
    }
}
