-- Console accounts administered from the console (operators only): an account can be locked by an operator until
-- unlocked (disabled), and every administrative change is in the login audit with who made it.
ALTER TABLE account ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE login_event DROP CONSTRAINT login_event_outcome_check;
ALTER TABLE login_event ADD CONSTRAINT login_event_outcome_check CHECK (outcome IN ('SUCCESS', 'FAILURE', 'LOCKED_OUT',
    'REFUSED_LOCKED', 'ACCOUNT_CREATED', 'ACCOUNT_LOCKED', 'ACCOUNT_UNLOCKED'));
