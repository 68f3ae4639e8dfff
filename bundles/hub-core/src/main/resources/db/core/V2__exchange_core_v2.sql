-- Exchange core, second version: ordering keys, payloads of small messages kept in their journal row
-- (one commit covers both), the dispatch table between journal and broker (first sends and scheduled retries),
-- ordering-key holds.

ALTER TABLE hub_exchange ADD COLUMN ordering_key VARCHAR(120);
ALTER TABLE hub_exchange ADD COLUMN flow_key VARCHAR(81);
-- The number of the exchange's last history row: a transition appends the next without looking for the highest.
ALTER TABLE hub_exchange ADD COLUMN state_seq INT NOT NULL DEFAULT 0;
-- A small payload, sealed, kept in its journal row: one insert and one commit make both durable, and the delivery
-- reads both at once. Larger payloads are sealed files under data/hub/payloads.
ALTER TABLE hub_exchange ADD COLUMN payload VARCHAR(32672) FOR BIT DATA;
UPDATE hub_exchange SET flow_key = partner || '/' || flow;
UPDATE hub_exchange x SET state_seq = (SELECT COALESCE(MAX(s.seq), 0) FROM hub_exchange_state s WHERE s.exchange_id = x.id);
-- Every index on the state is rewritten at each transition: one, by flow (a partner is a prefix of its flows).
DROP INDEX hub_exchange_partner_state;
CREATE INDEX hub_exchange_flow_state ON hub_exchange (flow_key, state, created_at);
CREATE INDEX hub_exchange_partner_msg ON hub_exchange (partner_message_id);

-- Every exchange that must (again) reach its queue, and from when: written in the transaction that accepts,
-- retries or releases it, deleted once the broker has taken the message. What is left at start is sent again;
-- the broker drops a copy it already has (duplicate detection on the dispatch id).
CREATE TABLE hub_dispatch (
  dispatch_id  CHAR(36)     NOT NULL,
  exchange_id  CHAR(36)     NOT NULL,
  queue_name   VARCHAR(200) NOT NULL,
  ordering_key VARCHAR(120),
  attempt      INT          NOT NULL,
  due_at       TIMESTAMP    NOT NULL,
  PRIMARY KEY (dispatch_id)
);
CREATE INDEX hub_dispatch_due ON hub_dispatch (due_at);
CREATE INDEX hub_dispatch_exchange ON hub_dispatch (exchange_id);

-- An ordering key whose first message is being retried: its later messages wait (hub_held) in order.
CREATE TABLE hub_hold (
  flow_key     VARCHAR(81)  NOT NULL,
  ordering_key VARCHAR(120) NOT NULL,
  exchange_id  CHAR(36)     NOT NULL,
  held_since   TIMESTAMP    NOT NULL,
  PRIMARY KEY (flow_key, ordering_key)
);

CREATE TABLE hub_held (
  seq          BIGINT       NOT NULL GENERATED ALWAYS AS IDENTITY,
  exchange_id  CHAR(36)     NOT NULL,
  flow_key     VARCHAR(81)  NOT NULL,
  ordering_key VARCHAR(120) NOT NULL,
  queue_name   VARCHAR(200) NOT NULL,
  PRIMARY KEY (seq)
);
CREATE UNIQUE INDEX hub_held_exchange ON hub_held (exchange_id);
CREATE INDEX hub_held_key ON hub_held (flow_key, ordering_key, seq);

