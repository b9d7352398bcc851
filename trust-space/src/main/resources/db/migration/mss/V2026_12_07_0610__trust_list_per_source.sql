-- Issue 12 #8: the last good liste blanche is kept per configured source (file path or URL). A copy from another
-- source no longer outlives a change of MSS_TRUST_LIST (it made the next source's first list "suspiciously small").
ALTER TABLE mss.trust_list_current DROP COLUMN id;
ALTER TABLE mss.trust_list_current ADD PRIMARY KEY (source);
