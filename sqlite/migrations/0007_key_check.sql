-- The check value of the key personal data is sealed under
-- (pii.Keys.CheckValue): recorded when the store is first opened, compared
-- at every open, so that no store holds data sealed under two keys.
CREATE TABLE key_check (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value BLOB NOT NULL
);
