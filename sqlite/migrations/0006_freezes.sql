-- Security freezes (FCRA §605A; opencredit.Freeze). A freeze holds from
-- frozen_at until lifted_at; a lifted freeze stays, so the history is
-- kept. At most one freeze is open a subject: the partial unique index.
-- Erasure leaves the rows: they hold no PII, only the pseudonymous id and
-- two times, and say what the file allowed when.
CREATE TABLE freezes (
    subject   TEXT NOT NULL REFERENCES subjects (id),
    frozen_at BIGINT NOT NULL,
    lifted_at BIGINT,
    PRIMARY KEY (subject, frozen_at)
);
CREATE UNIQUE INDEX freezes_open ON freezes (subject) WHERE lifted_at IS NULL;
