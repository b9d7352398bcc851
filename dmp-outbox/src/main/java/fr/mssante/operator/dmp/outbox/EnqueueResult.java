package fr.mssante.operator.dmp.outbox;

/**
 * @param id the row of this (message id, document unique id)
 * @param created false when it was already enqueued (nothing was added)
 */
public record EnqueueResult(long id, boolean created) {
}
