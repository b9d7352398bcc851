-- The complete audit trail (issue 14): message_event becomes the one audit table. New columns for who did it (actor),
-- which mailbox it concerns, the peer (address or certificate DN), the outcome and its reason. Never content.
-- Patient addresses (<INS>@...) are stored as "ins-hmac:<hex>" (HMAC-SHA-256), see fr.mssante.operator.audit.
ALTER TABLE message_event ADD COLUMN actor TEXT;
ALTER TABLE message_event ADD COLUMN mailbox TEXT;
ALTER TABLE message_event ADD COLUMN peer TEXT;
ALTER TABLE message_event ADD COLUMN outcome TEXT;
ALTER TABLE message_event ADD COLUMN reason TEXT;


-- the searches: by type and time, by mailbox (the mailbox column, the sender, any recipient), by actor
CREATE INDEX message_event_type_at ON message_event (event, occurred_at);
CREATE INDEX message_event_mailbox_at ON message_event (mailbox, occurred_at);
CREATE INDEX message_event_sender_at ON message_event (sender, occurred_at);
CREATE INDEX message_event_recipients ON message_event USING gin (recipients);
CREATE INDEX message_event_actor_at ON message_event (actor, occurred_at);
-- the hourly chart counts outcomes per hour
CREATE INDEX message_event_outcome_at ON message_event (outcome, occurred_at);
