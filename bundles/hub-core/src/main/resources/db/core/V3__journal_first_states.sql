-- The first states of an accepted exchange (RECEIVED, VALIDATED, QUEUED: same instant, no reason; RECEIVED by its
-- sender, the others by the hub) are kept in its row, comma-separated, instead of one history row each: three
-- inserts fewer per message. The journal's reader puts them back in front of the history rows (seq 1, 2, 3...).
ALTER TABLE hub_exchange ADD COLUMN first_states VARCHAR(60);
