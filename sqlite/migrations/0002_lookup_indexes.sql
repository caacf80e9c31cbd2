-- A covering index for the check of every ingested event that its source
-- holds the subject's furnishing consent: one index probe, no visit to the
-- table row. A query uses a partial index only if it repeats the index's
-- condition literally (not as a bound parameter).
CREATE INDEX consents_furnishing ON consents (subject, counterparty, granted_at, withdrawn_at) WHERE purpose = 'furnishing';
