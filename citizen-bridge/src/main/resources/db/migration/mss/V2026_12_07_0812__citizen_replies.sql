-- Citizen messaging (issue 15): a citizen's reply joins the conversation it answers, so that a professional's answer
-- naming only that reply stays in (and its FIN ends) the same conversation. Replies never count as the professional's
-- last message (pharmacy window).
ALTER TABLE citizen_message ADD COLUMN from_citizen BOOLEAN NOT NULL DEFAULT false;
