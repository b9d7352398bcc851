-- The authentication attempts join the one audit trail (mss.message_event, issue 14): AUTH_SUCCESS / AUTH_FAILURE
-- rows, the protocol and mechanism in the detail. Rows older than this migration keep patient addresses as written.
INSERT INTO message_event (occurred_at, event, mail_name, actor, mailbox, peer, outcome, reason, detail)
SELECT at, CASE WHEN outcome = 'SUCCESS' THEN 'AUTH_SUCCESS' ELSE 'AUTH_FAILURE' END, 'auth', actor, mailbox, remote,
       outcome, reason, protocol || ' ' || mechanism
FROM auth_event ORDER BY id;
DROP TABLE auth_event;
