-- The Aisne-actifs.com connector's own table: its cursor in the department event feed (the webhooks).
CREATE TABLE aa_state (
  name        VARCHAR(60)  NOT NULL PRIMARY KEY,
  state_value VARCHAR(200) NOT NULL
);
