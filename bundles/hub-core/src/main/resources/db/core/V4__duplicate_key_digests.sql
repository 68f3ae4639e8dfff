-- Duplicate keys kept as 16-byte digests (the first half of the SHA-256 of "<flow>:id:<partner message id>" or
-- "<flow>:sha256:<payload digest>") instead of their text: an index entry of 16 bytes instead of up to 300
-- characters (a payload-digest key is 82), so that a random key's insert touches a smaller B-tree, and no second
-- copy of partner message ids is kept here (the journal row has them). hub_idempotency is only read until its keys
-- are past the window, then purged.
CREATE TABLE hub_duplicate_key (
  key_digest  CHAR(16) FOR BIT DATA NOT NULL PRIMARY KEY,
  exchange_id CHAR(36),
  created_at  TIMESTAMP NOT NULL
);
