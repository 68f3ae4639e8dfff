-- France Travail connector: what it keeps of its own (the registry keeps what France Travail told about persons).

-- The jeton usager of each identified person, encrypted at rest (SecretBox, etc/hub-secrets.p12), with its expiry.
CREATE TABLE ft_jeton (
  person_id   VARCHAR(64)    NOT NULL PRIMARY KEY,
  jeton       VARCHAR(16000) NOT NULL,
  obtained_at TIMESTAMP      NOT NULL,
  expires_at  TIMESTAMP      NOT NULL
);

-- The last identification outcome per person. NOT_FOUND (S002), SEVERAL (S003), MISSING_DATA, REFUSED (R001)
-- and INVALID (R997) need a human; IDENTIFIED persons are those the nightly refresh reads back.
CREATE TABLE ft_identification (
  person_id   VARCHAR(64)  NOT NULL PRIMARY KEY,
  status      VARCHAR(20)  NOT NULL,
  code        VARCHAR(20),
  numero      VARCHAR(40),
  certified   VARCHAR(10),
  exchange_id VARCHAR(36),
  recorded_at TIMESTAMP    NOT NULL
);
CREATE INDEX ft_identification_status ON ft_identification (status);

-- Small named values: the cursor in the department event feed, the last scheduled batch, batch progress.
CREATE TABLE ft_state (
  name        VARCHAR(60)  NOT NULL PRIMARY KEY,
  state_value VARCHAR(200)
);

-- Appointments pushed to France Travail: the department's reference, France Travail's id, the last action.
CREATE TABLE ft_rendez_vous (
  reference   VARCHAR(64)  NOT NULL PRIMARY KEY,
  person_id   VARCHAR(64)  NOT NULL,
  ft_id       VARCHAR(100),
  status      VARCHAR(20)  NOT NULL,
  exchange_id VARCHAR(36),
  updated_at  TIMESTAMP    NOT NULL
);
