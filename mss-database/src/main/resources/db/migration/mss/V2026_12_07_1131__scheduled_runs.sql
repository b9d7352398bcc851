-- Scale-out (issue 18): a scheduled job (trust-list refresh, directory import, dépublication, audit retention) runs
-- once across the nodes. Each occurrence of a job is a slot (the day, or the refresh interval's number); the first
-- node that moves the job's row to the new slot runs it, the others see the row already there and skip.
CREATE TABLE scheduled_run (
    job        TEXT        PRIMARY KEY,
    slot       BIGINT      NOT NULL,
    node       TEXT        NOT NULL,
    claimed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
