-- The subject each record is about, so that a person's access history
-- (audit.Log.SubjectRecords) is an index range, not a scan of the log.
-- AuditStorage.Append fills it from the record's bytes (audit.RecordSubject);
-- NULL for a record that names no subject. It is derived, never hashed:
-- Verify reads data alone, and changing this column changes no proof.
--
-- Records from before this migration are indexed here from their JSON, in
-- one statement; if a damaged record (not UTF-8 JSON) fails it, record by
-- record, the damaged ones staying NULL, out of every history, instead of
-- failing the migration and so the log's opening; audit verify reports them.
ALTER TABLE audit_records ADD COLUMN subject TEXT COLLATE "C";
DO $$
DECLARE
    r RECORD;
BEGIN
    UPDATE audit_records SET subject = NULLIF(convert_from(data, 'UTF8')::jsonb ->> 'subject', '');
EXCEPTION WHEN OTHERS THEN
    FOR r IN SELECT n FROM audit_records LOOP
        BEGIN
            UPDATE audit_records SET subject = NULLIF(convert_from(data, 'UTF8')::jsonb ->> 'subject', '') WHERE n = r.n;
        EXCEPTION WHEN OTHERS THEN
            NULL;
        END;
    END LOOP;
END
$$;
CREATE INDEX audit_records_subject ON audit_records (subject, n) WHERE subject IS NOT NULL;
