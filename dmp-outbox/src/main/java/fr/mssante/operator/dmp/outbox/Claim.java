package fr.mssante.operator.dmp.outbox;

import java.util.UUID;

/** A lease on one outbox row; outcomes are recorded only while the lease is still this one. */
public record Claim(long id, UUID token) {
}
