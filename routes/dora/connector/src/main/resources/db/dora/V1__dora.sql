-- The Dora connector's tables (routes/dora/README.md).
-- The directory read from data·inclusion: one row per valid item of the département, its fields of schema v1 as
-- JSON (item) and their digest; a pull writes only the items whose digest changed. Services carry the columns the
-- department's query filters on: lists as ",a,b," so that one LIKE '%,a,%' finds a value.
CREATE TABLE dora_structure (
  id          VARCHAR(250)  NOT NULL PRIMARY KEY,
  digest      CHAR(64)      NOT NULL,
  item        CLOB(4M)      NOT NULL,
  changed_at  TIMESTAMP     NOT NULL
);
CREATE TABLE dora_service (
  id           VARCHAR(250)   NOT NULL PRIMARY KEY,
  structure_id VARCHAR(250)   NOT NULL,
  digest       CHAR(64)       NOT NULL,
  code_insee   VARCHAR(5),
  zone         VARCHAR(32000),
  a_distance   SMALLINT       NOT NULL,
  thematiques  VARCHAR(16000),
  publics      VARCHAR(2000),
  frais        VARCHAR(20),
  item         CLOB(4M)       NOT NULL,
  changed_at   TIMESTAMP      NOT NULL
);
CREATE INDEX dora_service_commune ON dora_service (code_insee);
CREATE INDEX dora_service_structure ON dora_service (structure_id);
-- The department's published offer, in schema v1, replaced as a whole by each accepted offer (one transaction):
-- content_digest leaves date_maj out, so that an unchanged item keeps its date.
CREATE TABLE dora_offer_structure (
  id              VARCHAR(250) NOT NULL PRIMARY KEY,
  content_digest  CHAR(64)     NOT NULL,
  item            CLOB(4M)     NOT NULL,
  published_at    TIMESTAMP    NOT NULL
);
CREATE TABLE dora_offer_service (
  id              VARCHAR(250) NOT NULL PRIMARY KEY,
  structure_id    VARCHAR(250) NOT NULL,
  content_digest  CHAR(64)     NOT NULL,
  item            CLOB(4M)     NOT NULL,
  published_at    TIMESTAMP    NOT NULL
);
-- The offer being published: which exchange, who sent it, when, how many items (one row).
CREATE TABLE dora_offer (
  id            SMALLINT     NOT NULL PRIMARY KEY,
  exchange_id   CHAR(36)     NOT NULL,
  sender        VARCHAR(200),
  published_at  TIMESTAMP    NOT NULL,
  structures    INT          NOT NULL,
  services      INT          NOT NULL
);
