-- Every ingestion batch rewrites the feature state of each subject it
-- touches. With pages only half filled, the new version of a row fits on
-- its page, so PostgreSQL updates it in place of the index entry (a
-- heap-only tuple, https://www.postgresql.org/docs/current/storage-hot.html)
-- instead of adding one to the primary key's index for every update.
-- Pages written from now on keep the room; existing ones gain it when the
-- table is rewritten (VACUUM FULL).
ALTER TABLE feature_states SET (fillfactor = 50);
