-- Publication of our mailboxes in the national directory (issue 6): whether a mailbox is currently published, and
-- when and why it was unpublished (dépublication after a period without activity; audited in mailbox_change).
ALTER TABLE mailbox ADD COLUMN published BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE mailbox ADD COLUMN unpublished_at TIMESTAMPTZ;
ALTER TABLE mailbox ADD COLUMN unpublished_reason TEXT;
