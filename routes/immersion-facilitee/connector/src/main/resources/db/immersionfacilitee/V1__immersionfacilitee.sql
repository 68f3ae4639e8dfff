-- The Immersion Facilitée connector's tables (routes/immersion-facilitee/README.md). No name, birth date, contact
-- or health value is ever written here: the person is the registry's (person_id).

-- The department's PMSMP conventions, from Immersion Facilitée (conv_key = the platform's id) and from the
-- department's own entries (conv_key = 'cd-' || reference). A convention that left the department keeps its row
-- with in_department = 0 and the reason (the AT/MP computation must be able to correct a month).
CREATE TABLE if_convention (
  conv_key          VARCHAR(64)   NOT NULL PRIMARY KEY,
  source            VARCHAR(30)   NOT NULL,
  reference         VARCHAR(64)   NOT NULL,
  status            VARCHAR(30)   NOT NULL,
  in_department     SMALLINT      NOT NULL,
  removed_reason    VARCHAR(300),
  agency_id         VARCHAR(64),
  prescriber_id     VARCHAR(64),
  date_start        DATE          NOT NULL,
  date_end          DATE          NOT NULL,
  planned_minutes   INT           NOT NULL,
  declared_hours    DECIMAL(8,2),
  done_minutes      INT,
  host_siret        VARCHAR(14),
  host_name         VARCHAR(255),
  employee          SMALLINT      NOT NULL,
  esat              SMALLINT,
  assessment_status VARCHAR(30),
  ended_with_job    SMALLINT,
  assessment_at     TIMESTAMP,
  date_validation   TIMESTAMP,
  partner_updated   TIMESTAMP,
  person_id         VARCHAR(36),
  match_state       VARCHAR(10),
  candidate_id      VARCHAR(36),
  observed_digest   VARCHAR(80),
  fingerprint       VARCHAR(64)   NOT NULL,
  first_seen        TIMESTAMP     NOT NULL,
  last_read         TIMESTAMP     NOT NULL,
  last_exchange     VARCHAR(36),
  conv_version      INT           NOT NULL
);
CREATE INDEX if_convention_dates ON if_convention (date_start, date_end);
CREATE INDEX if_convention_match ON if_convention (match_state);

-- Every calendar day of a convention: its periods (HH:mm-HH:mm,...), wall-clock and lived minutes, minutes done.
CREATE TABLE if_day (
  conv_key          VARCHAR(64)   NOT NULL,
  day_date          DATE          NOT NULL,
  periods           VARCHAR(200)  NOT NULL,
  planned_minutes   INT           NOT NULL,
  elapsed_minutes   INT           NOT NULL,
  done_minutes      INT,
  PRIMARY KEY (conv_key, day_date)
);

-- Status history: each status the hub read (in the order it read them), removals and returns.
CREATE TABLE if_status (
  conv_key          VARCHAR(64)   NOT NULL,
  seq               INT           NOT NULL,
  status            VARCHAR(30)   NOT NULL,
  event             VARCHAR(10)   NOT NULL,
  recorded_at       TIMESTAMP     NOT NULL,
  trigger_source    VARCHAR(30)   NOT NULL,
  exchange_id       VARCHAR(36),
  reason            VARCHAR(300),
  PRIMARY KEY (conv_key, seq)
);

-- The change feed of PmsmpConventions (the AT/MP computation's cursor).
CREATE TABLE if_change (
  seq               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  conv_key          VARCHAR(64)   NOT NULL,
  conv_version      INT           NOT NULL,
  what              VARCHAR(20)   NOT NULL,
  changed_at        TIMESTAMP     NOT NULL
);

-- What the hub last read of each Immersion Facilitée convention, kept or not: the id and a keyed digest (HMAC, no
-- value can be read back from it), so that the reconciliation hands over only what changed and an ignored
-- convention is journaled once per change, not at every pass. handed_*: the last hand-over not yet processed.
CREATE TABLE if_seen (
  conv_id           VARCHAR(64)   NOT NULL PRIMARY KEY,
  fingerprint       VARCHAR(64),
  outcome           VARCHAR(20)   NOT NULL,
  seen_at           TIMESTAMP     NOT NULL,
  handed_fingerprint VARCHAR(64),
  handed_at         TIMESTAMP
);

-- Small state: the webhook subscription, the generated webhook secret (sealed), the digest key (sealed),
-- reconciliation progress and last successes.
CREATE TABLE if_state (
  name              VARCHAR(60)   NOT NULL PRIMARY KEY,
  state_value       VARCHAR(4000),
  updated_at        TIMESTAMP     NOT NULL
);
