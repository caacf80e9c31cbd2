-- The foreign keys of events and feature_states become deferred: checked at
-- commit instead of after each statement. A multi-row statement that cannot
-- fail halfway (it names OR IGNORE, and no immediate foreign key can fail
-- it) then needs no statement journal, the copy SQLite keeps of every page
-- such a statement changes so that it can undo the statement alone
-- (https://www.sqlite.org/tempfiles.html#stmtjrnl). Ingestion's inserts and
-- state writes are such statements. A transaction that leaves an event or a
-- state of an unknown subject still fails, at COMMIT.
--
-- SQLite cannot change a constraint in place, so both tables are rebuilt
-- (https://www.sqlite.org/lang_altertable.html#otheralter). Neither is the
-- parent of a foreign key, so dropping the old ones checks nothing.

CREATE TABLE events_new (
    source       TEXT NOT NULL,
    id           TEXT NOT NULL,
    subject      TEXT NOT NULL REFERENCES subjects (id) DEFERRABLE INITIALLY DEFERRED,
    type         TEXT NOT NULL,
    time         BIGINT NOT NULL,
    received_at  BIGINT NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    data         BYTEA NOT NULL,
    suppressed   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (source, id)
);
INSERT INTO events_new (source, id, subject, type, time, received_at, content_type, data, suppressed)
    SELECT source, id, subject, type, time, received_at, content_type, data, suppressed FROM events ORDER BY rowid;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_subject_time ON events (subject, time);

CREATE TABLE feature_states_new (
    subject    TEXT PRIMARY KEY REFERENCES subjects (id) DEFERRABLE INITIALLY DEFERRED,
    state      BYTEA NOT NULL,
    updated_at BIGINT NOT NULL
);
INSERT INTO feature_states_new (subject, state, updated_at)
    SELECT subject, state, updated_at FROM feature_states;
DROP TABLE feature_states;
ALTER TABLE feature_states_new RENAME TO feature_states;
