-- What the hub last imported of each CAF household: the digest of its content (an unchanged household in
-- the next monthly file is skipped), its RSA state and its members, from which the department events
-- (state changes, new persons) are derived.
CREATE TABLE caf_household (
  numorg        VARCHAR(3)     NOT NULL,
  matricule     VARCHAR(15)    NOT NULL,
  digest        BIGINT         NOT NULL,
  etat          VARCHAR(2),
  members       VARCHAR(16000) NOT NULL,
  last_exchange VARCHAR(36),
  updated_at    TIMESTAMP      NOT NULL,
  PRIMARY KEY (numorg, matricule)
);
CREATE INDEX caf_household_matricule ON caf_household (matricule);
