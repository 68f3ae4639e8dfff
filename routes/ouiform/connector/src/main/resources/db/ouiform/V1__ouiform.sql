-- OuiForm connector (routes/ouiform/README.md). Identifiers of the hub's prescriptions: HUB-<year>-<number>.
CREATE SEQUENCE ouiform_prescription_seq AS BIGINT START WITH 1;

-- One row per prescription the department made (one journaled exchange of ouiform/prescription): the identity sent
-- to OuiForm is not kept here (the registry and its disclosure log hold it), only what follows the prescription.
CREATE TABLE ouiform_prescription (
  id_hub            VARCHAR(64)   NOT NULL PRIMARY KEY,
  exchange_id       VARCHAR(36)   NOT NULL,
  correlation_id    VARCHAR(64),
  person_id         VARCHAR(36)   NOT NULL,
  id_session        VARCHAR(64)   NOT NULL,
  id_action         VARCHAR(64),
  date_prescription DATE          NOT NULL,
  canal             VARCHAR(4)    NOT NULL,
  etat              VARCHAR(12)   NOT NULL,
  refus             VARCHAR(1000),
  id_ouiform        VARCHAR(64),
  statut            VARCHAR(12),
  sequence          INTEGER,
  date_effet        DATE,
  motif             VARCHAR(500),
  registre          VARCHAR(140),
  created_at        TIMESTAMP     NOT NULL,
  updated_at        TIMESTAMP     NOT NULL
);
CREATE UNIQUE INDEX ouiform_prescription_exchange ON ouiform_prescription (exchange_id);
CREATE INDEX ouiform_prescription_person ON ouiform_prescription (person_id);
CREATE INDEX ouiform_prescription_ouiform ON ouiform_prescription (id_ouiform);

-- Every status event OuiForm sent (idEvenement is its key: an event sent again is recorded once), applied or not.
CREATE TABLE ouiform_statut (
  id_evenement      VARCHAR(64)   NOT NULL PRIMARY KEY,
  id_hub            VARCHAR(64)   NOT NULL,
  id_ouiform        VARCHAR(64),
  sequence          INTEGER       NOT NULL,
  statut            VARCHAR(12)   NOT NULL,
  date_effet        DATE          NOT NULL,
  motif             VARCHAR(500),
  horodatage        VARCHAR(40)   NOT NULL,
  applique          SMALLINT      NOT NULL,
  note              VARCHAR(300),
  exchange_id       VARCHAR(36)   NOT NULL,
  received_at       TIMESTAMP     NOT NULL
);
CREATE INDEX ouiform_statut_hub ON ouiform_statut (id_hub);

-- The regional catalogue: one row per session (LHEO session/@numero), flattened with its action and formation.
CREATE TABLE ouiform_session (
  numero            VARCHAR(120)  NOT NULL PRIMARY KEY,
  action_numero     VARCHAR(120),
  formation_numero  VARCHAR(120),
  intitule          VARCHAR(255),
  objectif          VARCHAR(2000),
  recherche         VARCHAR(700),
  formacode         VARCHAR(10),
  rome              VARCHAR(10),
  certifiante       SMALLINT      NOT NULL,
  organisme_siret   VARCHAR(14),
  organisme_nom     VARCHAR(250),
  lieu_code_postal  VARCHAR(10),
  lieu_ville        VARCHAR(80),
  lieu_insee        VARCHAR(10),
  debut_lheo        VARCHAR(8),
  debut_min         DATE,
  debut_max         DATE,
  fin_lheo          VARCHAR(8),
  fin_max           DATE,
  etat_recrutement  SMALLINT,
  prix_total        DECIMAL(12,2),
  prix_texte        VARCHAR(20),
  duree_hebdo       DECIMAL(6,2),
  heures_total      INTEGER,
  datemaj_lheo      VARCHAR(8),
  publication       VARCHAR(36)   NOT NULL,
  updated_at        TIMESTAMP     NOT NULL
);
CREATE INDEX ouiform_session_publication ON ouiform_session (publication);
CREATE INDEX ouiform_session_code_postal ON ouiform_session (lieu_code_postal);

-- Each publication imported (a weekly file, a SOAP or REST publierSessions): what it held and what it withdrew.
CREATE TABLE ouiform_publication (
  exchange_id       VARCHAR(36)   NOT NULL PRIMARY KEY,
  id_publication    VARCHAR(64),
  source            VARCHAR(120),
  complet           SMALLINT      NOT NULL,
  formations        BIGINT        NOT NULL,
  actions           BIGINT        NOT NULL,
  sessions          BIGINT        NOT NULL,
  retirees          BIGINT        NOT NULL,
  warnings          VARCHAR(2000),
  imported_at       TIMESTAMP     NOT NULL
);
