package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opencredit/opencredit"
)

// CreateSubject registers a person, sealing their PII.
func (db *DB) CreateSubject(ctx context.Context, id string, p opencredit.PII, at time.Time) error {
	if err := opencredit.CheckID("subject id", id); err != nil {
		return err
	}
	if err := opencredit.CheckTime("creation time", at); err != nil {
		return err
	}
	sealed, err := db.keys.Seal(p, id)
	if err != nil {
		return err
	}
	hash := db.keys.NationalIDHash(p.NationalID)
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM subjects WHERE id = ?`, id).Scan(&n); err != nil {
		return internal("looking up a subject", err)
	}
	if n > 0 {
		return opencredit.Errorf(opencredit.ECONFLICT, "subject %s exists (or was erased: ids are never reused)", id)
	}
	if hash != nil {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM subjects WHERE national_id_hash = ?`, hash).Scan(&n); err != nil {
			return internal("looking up a national id", err)
		}
		if n > 0 {
			return opencredit.Errorf(opencredit.ECONFLICT, "another subject has the national id given for subject %s", id)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO subjects (id, created_at, pii, national_id_hash) VALUES (?, ?, ?, ?)`,
		id, ts(at), sealed, hash); err != nil {
		return internal("creating a subject", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// Subject returns a subject, a tombstone (DeletedAt set) if erased.
func (db *DB) Subject(ctx context.Context, id string) (opencredit.Subject, error) {
	return loadSubject(ctx, db.r, id)
}

// queryer is what *sql.DB and *sql.Tx share.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func loadSubject(ctx context.Context, q queryer, id string) (opencredit.Subject, error) {
	s := opencredit.Subject{ID: id}
	var created int64
	var deleted sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT created_at, deleted_at FROM subjects WHERE id = ?`, id).Scan(&created, &deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return s, opencredit.Errorf(opencredit.ENOTFOUND, "no subject %s", id)
	}
	if err != nil {
		return s, internal("reading a subject", err)
	}
	s.CreatedAt, s.DeletedAt = fromTS(created), fromNullTS(deleted)
	return s, nil
}

// liveSubject is subject, with ENOTFOUND for an erased one too.
func liveSubject(ctx context.Context, q queryer, id string) error {
	s, err := loadSubject(ctx, q, id)
	if err != nil {
		return err
	}
	if s.DeletedAt != nil {
		return opencredit.Errorf(opencredit.ENOTFOUND, "subject %s was erased", id)
	}
	return nil
}

// SubjectPII decrypts a subject's PII; ENOTFOUND if unknown or erased.
func (db *DB) SubjectPII(ctx context.Context, id string) (opencredit.PII, error) {
	var sealed []byte
	var deleted sql.NullInt64
	err := db.r.QueryRowContext(ctx, `SELECT pii, deleted_at FROM subjects WHERE id = ?`, id).Scan(&sealed, &deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return opencredit.PII{}, opencredit.Errorf(opencredit.ENOTFOUND, "no subject %s", id)
	}
	if err != nil {
		return opencredit.PII{}, internal("reading PII", err)
	}
	if deleted.Valid {
		return opencredit.PII{}, opencredit.Errorf(opencredit.ENOTFOUND, "subject %s was erased", id)
	}
	return db.keys.Open(sealed, id)
}

// SubjectByNationalID finds a live subject through the keyed hash of a national id.
func (db *DB) SubjectByNationalID(ctx context.Context, nationalID string) (string, error) {
	hash := db.keys.NationalIDHash(nationalID)
	if hash == nil {
		return "", opencredit.Errorf(opencredit.EINVALID, "the national id is empty")
	}
	var id string
	err := db.r.QueryRowContext(ctx, `SELECT id FROM subjects WHERE national_id_hash = ?`, hash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", opencredit.Errorf(opencredit.ENOTFOUND, "no subject has this national id")
	}
	if err != nil {
		return "", internal("looking up a national id", err)
	}
	return id, nil
}

// DeleteSubject erases a subject's PII, events, feature state, disputes
// and reviews, withdraws its consents at at and records the erasure; the
// subject row stays as a tombstone. Erasing an erased subject does nothing.
func (db *DB) DeleteSubject(ctx context.Context, id string, at time.Time) error {
	if err := opencredit.CheckTime("erasure time", at); err != nil {
		return err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	s, err := loadSubject(ctx, tx, id)
	if err != nil {
		return err
	}
	if s.DeletedAt != nil {
		return nil
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM events WHERE subject = ?`, id)
	if err != nil {
		return internal("erasing events", err)
	}
	events, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `DELETE FROM feature_states WHERE subject = ?`, id); err != nil {
		return internal("erasing features", err)
	}
	// A dispute's comment and a review's are the person's words: erased with
	// the events they are about. The audit records of them stay.
	for _, table := range []string{"disputes", "reviews"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE subject = ?`, id); err != nil {
			return internal("erasing "+table, err)
		}
	}
	res, err = tx.ExecContext(ctx, `UPDATE consents SET withdrawn_at = ? WHERE subject = ? AND withdrawn_at IS NULL`, ts(at), id)
	if err != nil {
		return internal("withdrawing consents", err)
	}
	consents, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `UPDATE subjects SET pii = NULL, national_id_hash = NULL, deleted_at = ? WHERE id = ?`, ts(at), id); err != nil {
		return internal("erasing PII", err)
	}
	db.cache.forget(id)
	if _, err := tx.ExecContext(ctx, `INSERT INTO erasures (subject, erased_at, events_deleted, consents_withdrawn) VALUES (?, ?, ?, ?)`,
		id, ts(at), events, consents); err != nil {
		return internal("recording the erasure", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// subjectsPage bounds how many subjects Subjects reads at a time, so fn may
// use the store and no read transaction stays open for long.
const subjectsPage = 1000

// Subjects calls fn for every subject that is not erased, in id order.
func (db *DB) Subjects(ctx context.Context, fn func(opencredit.Subject) error) error {
	after := "" // ids are never empty, so every id sorts after ""
	for {
		rows, err := db.r.QueryContext(ctx, `SELECT id, created_at FROM subjects
WHERE id > ? AND deleted_at IS NULL ORDER BY id LIMIT ?`, after, subjectsPage)
		if err != nil {
			return internal("listing subjects", err)
		}
		var page []opencredit.Subject
		for rows.Next() {
			var s opencredit.Subject
			var created int64
			if err := rows.Scan(&s.ID, &created); err != nil {
				rows.Close()
				return internal("listing subjects", err)
			}
			s.CreatedAt = fromTS(created)
			page = append(page, s)
		}
		if err := rows.Err(); err != nil {
			return internal("listing subjects", err)
		}
		rows.Close()
		for _, s := range page {
			if err := fn(s); err != nil {
				return err
			}
		}
		if len(page) < subjectsPage {
			return nil
		}
		after = page[len(page)-1].ID
	}
}
