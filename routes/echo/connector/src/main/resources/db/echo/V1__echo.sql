-- The echo connector's own table: notes recorded by its in-process handler (the template of a module table).
CREATE TABLE echo_note (
  exchange_id CHAR(36)     NOT NULL PRIMARY KEY,
  subject     VARCHAR(100) NOT NULL,
  text_length INT          NOT NULL,
  recorded_at TIMESTAMP    NOT NULL
);
CREATE INDEX echo_note_subject ON echo_note (subject, recorded_at);
