-- Single entries refreshed on demand from the Annuaire Santé FHIR API (MailboxRefresh): a mailbox the daily
-- extraction does not list yet (it lags), or the API's answer that it does not know the address (found = false).
-- Lookups by address fall back on found rows younger than 30 days; an import that lists the address, or 30 days,
-- removes the row. Never used for search: the extraction stays the directory.
CREATE TABLE directory.mailbox_refreshed (
  address_key  text COLLATE "C" PRIMARY KEY,
  address      text NOT NULL,
  found        boolean NOT NULL,
  kind         text,
  national_id  text COLLATE "C",
  service      text,
  description  text,
  liste_rouge  boolean,
  publisher    text,
  refreshed_at timestamptz NOT NULL
);
