-- v2 of the disclosure log: it becomes the access log too. Every read of personal data through the hub's APIs
-- is recorded with the authenticated account (accessed_by) and how it was read (access_kind: read, lookup-nir,
-- subject-access, match-review, payload-download...); automatic disclosures to partners say 'system'.
-- Rows written before this version do not know their reader: they say so.
ALTER TABLE reg_disclosure ADD COLUMN accessed_by VARCHAR(100) NOT NULL DEFAULT 'unknown (before v2)';
ALTER TABLE reg_disclosure ALTER COLUMN accessed_by DROP DEFAULT;
ALTER TABLE reg_disclosure ADD COLUMN access_kind VARCHAR(40);
UPDATE reg_disclosure SET access_kind = 'unknown (before v2)';
-- a lookup that found nobody, and a payload read (about the persons of its exchange), have no person
ALTER TABLE reg_disclosure ALTER COLUMN person_id NULL;
CREATE INDEX reg_disclosure_reader ON reg_disclosure (accessed_by, disclosed_at);
CREATE INDEX reg_disclosure_exchange ON reg_disclosure (exchange_id);
CREATE INDEX reg_disclosure_time ON reg_disclosure (disclosed_at);

-- Retention, resumable: the journal exchanges whose payloads may be purged once no person refers to them, queued
-- in the same transaction as the person's deletion and removed once handled (a run that stops midway leaves
-- them for the next one).
CREATE TABLE reg_purge_pending (
  exchange_id VARCHAR(36) NOT NULL PRIMARY KEY,
  queued_at   TIMESTAMP   NOT NULL
);
