-- S/MIME private keys of our mailboxes (and of the operator), sealed with AES-256-GCM under MSS_SMIME_MASTER_KEY.
CREATE TABLE mss.smime_key (
    id              BIGSERIAL PRIMARY KEY,
    owner           TEXT        NOT NULL,          -- mailbox address, lower case, or the operator identity
    fingerprint     TEXT        NOT NULL,          -- SHA-256 of the certificate, hex
    issuer_dn       TEXT        NOT NULL,
    serial          TEXT        NOT NULL,          -- hex
    not_after       TIMESTAMPTZ NOT NULL,
    certificate_der BYTEA       NOT NULL,
    chain_der       BYTEA,                         -- concatenated DER intermediates
    key_algorithm   TEXT        NOT NULL,          -- RSA, EC
    sealed_key      BYTEA       NOT NULL,          -- 0x01 || nonce(12) || AES-GCM(PKCS#8)
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT smime_key_owner_fingerprint UNIQUE (owner, fingerprint)
);
CREATE INDEX smime_key_issuer_serial ON mss.smime_key (issuer_dn, serial);
