-- Checkpoints witnesses cosigned (issue 17): serve publishes each signed
-- checkpoint to its witnesses (C2SP tlog-witness) and keeps here the note
-- each returned, the log's signature and the witness's cosignature on the
-- checkpoint's text, by witness key name and tree size. Open, audit verify
-- and the inclusion proofs read the latest row of each witness.
CREATE TABLE audit_cosignatures (
    witness TEXT NOT NULL,    -- the witness key's name
    size    BIGINT NOT NULL,  -- the tree size of the checkpoint
    note    BYTEA NOT NULL,   -- the checkpoint, signed and cosigned
    PRIMARY KEY (witness, size)
);
