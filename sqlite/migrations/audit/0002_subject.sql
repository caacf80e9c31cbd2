-- The subject each record is about, so that a person's access history
-- (audit.Log.SubjectRecords) is an index range, not a scan of the log.
-- AuditStorage.Append fills it from the record's bytes (audit.RecordSubject);
-- NULL for a record that names no subject. It is derived, never hashed:
-- Verify reads data alone, and changing this column changes no proof.
--
-- Records from before this migration are indexed here from their JSON.
-- A damaged record (not JSON) stays NULL, out of every history, instead of
-- failing the migration and so the log's opening; audit verify reports it.
-- The index holds (subject, rowid): n is the rowid, so it orders each
-- subject's records by n with nothing more.
ALTER TABLE audit_records ADD COLUMN subject TEXT;
UPDATE audit_records SET subject = NULLIF(json_extract(CAST(data AS TEXT), '$.subject'), '')
WHERE json_valid(CAST(data AS TEXT));
CREATE INDEX audit_records_subject ON audit_records (subject) WHERE subject IS NOT NULL;
