-- The department's event feed: ordered by seq, appended once per journaled batch (batch_exchange).
CREATE TABLE dep_event (
  seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch_exchange  VARCHAR(36)   NOT NULL,
  type            VARCHAR(60)   NOT NULL,
  person_id       VARCHAR(36),
  household_key   VARCHAR(20),
  occurred_at     TIMESTAMP     NOT NULL,
  source_partner  VARCHAR(40),
  source_exchange VARCHAR(36),
  details         VARCHAR(2000) NOT NULL,
  recorded_at     TIMESTAMP     NOT NULL
);
CREATE INDEX dep_event_batch ON dep_event (batch_exchange);
CREATE INDEX dep_event_person ON dep_event (person_id);
