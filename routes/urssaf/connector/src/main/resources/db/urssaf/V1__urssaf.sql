-- The URSSAF AT/MP connector's tables (routes/urssaf/README.md). No name, birth date or NIR: the person is the
-- registry's id. Rows of a closed month are never updated nor deleted (only its delivery state moves).

-- A closed month: its figures as declared. state CLOSED (declaration queued or rejected) or DECLARED (acknowledged).
CREATE TABLE urssaf_month (
  month          CHAR(7)        NOT NULL PRIMARY KEY,
  state          VARCHAR(12)    NOT NULL,
  basis          VARCHAR(10)    NOT NULL,
  closed_at      TIMESTAMP      NOT NULL,
  closed_by      VARCHAR(64)    NOT NULL,
  hours          DECIMAL(12,2)  NOT NULL,
  amount         DECIMAL(12,2)  NOT NULL,
  adj_hours      DECIMAL(12,2)  NOT NULL,
  adj_amount     DECIMAL(12,2)  NOT NULL,
  exchange_id    VARCHAR(36),
  deposit_number VARCHAR(64),
  deposit_at     TIMESTAMP,
  last_rejection VARCHAR(1000),
  last_attempt   TIMESTAMP
);

-- The days declared in a month: its own days (origin_month = month) and its adjustment days (origin_month an earlier
-- closed month, hours the difference, reason set).
CREATE TABLE urssaf_day (
  month          CHAR(7)        NOT NULL,
  origin_month   CHAR(7)        NOT NULL,
  conv_key       VARCHAR(64)    NOT NULL,
  day            DATE           NOT NULL,
  hours          DECIMAL(10,2)  NOT NULL,
  rate           DECIMAL(8,4)   NOT NULL,
  ctp            CHAR(3)        NOT NULL,
  source         VARCHAR(30)    NOT NULL,
  reference      VARCHAR(64)    NOT NULL,
  person_id      VARCHAR(36),
  host_siret     VARCHAR(14),
  conv_version   INT            NOT NULL,
  reason         VARCHAR(300),
  PRIMARY KEY (month, origin_month, conv_key, day)
);
CREATE INDEX urssaf_day_origin ON urssaf_day (origin_month);

-- The declaration lines of a closed month as declared (amounts rounded once per line): kind MOIS or REGULARISATION.
CREATE TABLE urssaf_line (
  month          CHAR(7)        NOT NULL,
  seq            INT            NOT NULL,
  kind           VARCHAR(16)    NOT NULL,
  origin_month   CHAR(7)        NOT NULL,
  conv_key       VARCHAR(64),
  reference      VARCHAR(64),
  ctp            CHAR(3)        NOT NULL,
  rate           DECIMAL(8,4)   NOT NULL,
  hours          DECIMAL(12,2)  NOT NULL,
  amount         DECIMAL(12,2)  NOT NULL,
  reason         VARCHAR(300),
  PRIMARY KEY (month, seq)
);

-- An operator's decision for a convention whose beneficiary is an employee: COUNT or EXCLUDE.
CREATE TABLE urssaf_decision (
  conv_key       VARCHAR(64)    NOT NULL PRIMARY KEY,
  decision       VARCHAR(10)    NOT NULL,
  decided_by     VARCHAR(64)    NOT NULL,
  decided_at     TIMESTAMP      NOT NULL
);

-- Accidents during an immersion: the data of the declaration to the CPAM and its deadline.
CREATE TABLE urssaf_accident (
  id             VARCHAR(36)    NOT NULL PRIMARY KEY,
  conv_key       VARCHAR(64)    NOT NULL,
  reference      VARCHAR(64)    NOT NULL,
  person_id      VARCHAR(36),
  host_siret     VARCHAR(14),
  host_name      VARCHAR(255),
  occurred_at    TIMESTAMP      NOT NULL,
  place          VARCHAR(500)   NOT NULL,
  circumstances  VARCHAR(4000)  NOT NULL,
  learned_at     TIMESTAMP      NOT NULL,
  deadline       TIMESTAMP      NOT NULL,
  received_at    TIMESTAMP      NOT NULL,
  transmitted_at TIMESTAMP,
  transmitted_by VARCHAR(64)
);
