-- The "dites-le nous une fois" registry. Every value carries its provenance: source partner, source
-- exchange (journal id), date observed. The NIR is only stored encrypted, and found by its keyed index.
CREATE TABLE reg_person (
  id               CHAR(36)     NOT NULL PRIMARY KEY,
  created_at       TIMESTAMP    NOT NULL,
  -- comparison keys for matching on identity (Names.key), refreshed from the consolidated values
  match_birth_date VARCHAR(10),
  match_birth_name VARCHAR(200),
  match_usage_name VARCHAR(200),
  match_first_name VARCHAR(200)
);
CREATE INDEX reg_person_birth ON reg_person (match_birth_date);

CREATE TABLE reg_nir (
  person_id       CHAR(36)     NOT NULL PRIMARY KEY,
  nir_index       CHAR(64)     NOT NULL,
  nir_encrypted   VARCHAR(200) NOT NULL,
  source_partner  VARCHAR(40)  NOT NULL,
  source_exchange VARCHAR(36),
  observed_at     TIMESTAMP    NOT NULL,
  CONSTRAINT reg_nir_index_unique UNIQUE (nir_index)
);

CREATE TABLE reg_identifier (
  partner         VARCHAR(40)  NOT NULL,
  kind            VARCHAR(40)  NOT NULL,
  id_value        VARCHAR(200) NOT NULL,
  person_id       CHAR(36)     NOT NULL,
  source_partner  VARCHAR(40)  NOT NULL,
  source_exchange VARCHAR(36),
  observed_at     TIMESTAMP    NOT NULL,
  PRIMARY KEY (partner, kind, id_value)
);
CREATE INDEX reg_identifier_person ON reg_identifier (person_id);

CREATE TABLE reg_attribute (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id       CHAR(36)      NOT NULL,
  name            VARCHAR(60)   NOT NULL,
  attr_value      VARCHAR(2000),
  source_partner  VARCHAR(40)   NOT NULL,
  source_exchange VARCHAR(36),
  observed_at     TIMESTAMP     NOT NULL,
  recorded_at     TIMESTAMP     NOT NULL
);
CREATE INDEX reg_attribute_person ON reg_attribute (person_id, name);
CREATE INDEX reg_attribute_name ON reg_attribute (name);

CREATE TABLE reg_household (
  id         CHAR(36)    NOT NULL PRIMARY KEY,
  numorg     VARCHAR(3)  NOT NULL,
  matricule  VARCHAR(15) NOT NULL,
  created_at TIMESTAMP   NOT NULL,
  CONSTRAINT reg_household_caf UNIQUE (numorg, matricule)
);

CREATE TABLE reg_membership (
  household_id    CHAR(36)    NOT NULL,
  person_id       CHAR(36)    NOT NULL,
  role            VARCHAR(8)  NOT NULL,
  source_partner  VARCHAR(40) NOT NULL,
  source_exchange VARCHAR(36),
  observed_at     TIMESTAMP   NOT NULL,
  PRIMARY KEY (household_id, person_id)
);
CREATE INDEX reg_membership_person ON reg_membership (person_id);

-- Probable matches waiting for an operator; the observation is kept as JSON, its NIR encrypted.
CREATE TABLE reg_match_candidate (
  id              CHAR(36)     NOT NULL PRIMARY KEY,
  person_id       CHAR(36)     NOT NULL,
  source_partner  VARCHAR(40)  NOT NULL,
  source_exchange VARCHAR(36),
  observation     CLOB         NOT NULL,
  reason          VARCHAR(500) NOT NULL,
  status          VARCHAR(12)  NOT NULL,
  created_at      TIMESTAMP    NOT NULL,
  decided_by      VARCHAR(100),
  decided_at      TIMESTAMP,
  result_person   CHAR(36)
);
CREATE INDEX reg_match_status ON reg_match_candidate (status, created_at);

-- Who received which fields of whom, when, for which purpose, in which message.
CREATE TABLE reg_disclosure (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id    CHAR(36)      NOT NULL,
  partner      VARCHAR(40)   NOT NULL,
  purpose      VARCHAR(60)   NOT NULL,
  fields       VARCHAR(2000) NOT NULL,
  exchange_id  VARCHAR(36),
  disclosed_at TIMESTAMP     NOT NULL
);
CREATE INDEX reg_disclosure_person ON reg_disclosure (person_id);

-- Retention runs: anonymous counts only.
CREATE TABLE reg_retention_run (
  run_at            TIMESTAMP NOT NULL,
  cutoff            DATE      NOT NULL,
  persons_purged    INT       NOT NULL,
  households_purged INT       NOT NULL,
  payloads_purged   INT       NOT NULL
);
