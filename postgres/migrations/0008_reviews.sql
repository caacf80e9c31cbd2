-- The table of sqlite/migrations/0008_reviews.sql, with ids in the "C"
-- collation as in 0001_init.sql.
--
-- Human reviews of automated decisions (GDPR Art. 22(3)). The decision is
-- the index of its record in the audit log, which lives in another
-- database (or schema), so no foreign key can name it; the review copies
-- what the operators' queue shows of it. One review of a decision is
-- requested at a time: the partial unique index.
CREATE TABLE reviews (
    id           TEXT COLLATE "C" PRIMARY KEY,
    subject      TEXT COLLATE "C" NOT NULL REFERENCES subjects (id),
    decision_id  BIGINT NOT NULL,
    lender       TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    score        BIGINT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    requested_at BIGINT NOT NULL,
    status       TEXT NOT NULL,
    resolved_at  BIGINT,
    note         TEXT NOT NULL DEFAULT '',
    resolver     TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX reviews_requested ON reviews (decision_id) WHERE status = 'requested';
CREATE INDEX reviews_subject ON reviews (subject, requested_at);
CREATE INDEX reviews_status ON reviews (status, requested_at);
