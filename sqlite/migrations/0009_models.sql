-- The model registry (package lifecycle): every model version with its
-- artifact, and every change of its state, kept for good. The partial unique
-- index holds at most one active model at any moment.
CREATE TABLE models (
    id          TEXT PRIMARY KEY,           -- model.ID: kind and a hash of the artifact
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    data_sha256 TEXT NOT NULL DEFAULT '',
    metrics     TEXT NOT NULL DEFAULT '{}', -- JSON
    fairness    TEXT NOT NULL DEFAULT '[]', -- JSON: the gate's evidence
    state       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    artifact    BYTEA NOT NULL
);
CREATE UNIQUE INDEX models_one_active ON models (state) WHERE state = 'active';
CREATE TABLE model_transitions (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    model      TEXT NOT NULL REFERENCES models (id),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    by_operator TEXT NOT NULL,
    at         BIGINT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    override   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX model_transitions_model ON model_transitions (model, seq);
