-- The message log of the hub: one row per exchange, one per state change.
CREATE TABLE hub_exchange (
  id                 CHAR(36)      NOT NULL PRIMARY KEY,
  correlation_id     VARCHAR(64)   NOT NULL,
  partner            VARCHAR(40)   NOT NULL,
  flow               VARCHAR(40)   NOT NULL,
  direction          VARCHAR(8)    NOT NULL,
  sender             VARCHAR(100),
  content_type       VARCHAR(120),
  size_bytes         BIGINT        NOT NULL,
  sha256             CHAR(64),
  partner_message_id VARCHAR(200),
  queue_name         VARCHAR(200),
  state              VARCHAR(16)   NOT NULL,
  attempts           INT           NOT NULL,
  last_reason        VARCHAR(2000),
  has_payload        SMALLINT      NOT NULL,
  created_at         TIMESTAMP     NOT NULL,
  updated_at         TIMESTAMP     NOT NULL
);
CREATE INDEX hub_exchange_created ON hub_exchange (created_at);
CREATE INDEX hub_exchange_partner_state ON hub_exchange (partner, state, created_at);
CREATE INDEX hub_exchange_correlation ON hub_exchange (correlation_id);

CREATE TABLE hub_exchange_state (
  exchange_id CHAR(36)      NOT NULL,
  seq         INT           NOT NULL,
  state       VARCHAR(16)   NOT NULL,
  changed_at  TIMESTAMP     NOT NULL,
  reason      VARCHAR(2000),
  actor       VARCHAR(2000),
  PRIMARY KEY (exchange_id, seq)
);

-- Persistent idempotent repository: keys of messages already received (partner message id, payload digest).
CREATE TABLE hub_idempotency (
  repo        VARCHAR(100) NOT NULL,
  msg_key     VARCHAR(300) NOT NULL,
  exchange_id CHAR(36),
  created_at  TIMESTAMP    NOT NULL,
  PRIMARY KEY (repo, msg_key)
);
