package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/opencredit/opencredit"
)

// CreateSubject registers a person, sealing their PII. The unique
// constraints decide between two registrations of one id or one national id,
// so concurrent callers cannot both succeed.
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
	_, err = db.pool.Exec(ctx, `INSERT INTO subjects (id, created_at, pii, national_id_hash) VALUES ($1, $2, $3, $4)`,
		id, ts(at), sealed, hash)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == uniqueViolation {
		if strings.Contains(pe.ConstraintName, "national_id_hash") {
			return opencredit.Errorf(opencredit.ECONFLICT, "another subject has the national id given for subject %s", id)
		}
		return opencredit.Errorf(opencredit.ECONFLICT, "subject %s exists (or was erased: ids are never reused)", id)
	}
	if err != nil {
		return internal("creating a subject", err)
	}
	return nil
}

// Subject returns a subject, a tombstone (DeletedAt set) if erased.
func (db *DB) Subject(ctx context.Context, id string) (opencredit.Subject, error) {
	return loadSubject(ctx, db.pool, id, "")
}

// querier is what the pool, a connection and a transaction share.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// loadSubject reads a subject; lock, if not "", is a locking clause such as
// "FOR SHARE".
func loadSubject(ctx context.Context, q querier, id, lock string) (opencredit.Subject, error) {
	s := opencredit.Subject{ID: id}
	var created int64
	var deleted *int64
	err := q.QueryRow(ctx, `SELECT created_at, deleted_at FROM subjects WHERE id = $1 `+lock, id).Scan(&created, &deleted)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, opencredit.Errorf(opencredit.ENOTFOUND, "no subject %s", id)
	}
	if err != nil {
		return s, internal("reading a subject", err)
	}
	s.CreatedAt, s.DeletedAt = fromTS(created), fromNullTS(deleted)
	return s, nil
}

// liveSubject is loadSubject, with ENOTFOUND for an erased subject too.
func liveSubject(ctx context.Context, q querier, id, lock string) error {
	s, err := loadSubject(ctx, q, id, lock)
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
	var deleted *int64
	err := db.pool.QueryRow(ctx, `SELECT pii, deleted_at FROM subjects WHERE id = $1`, id).Scan(&sealed, &deleted)
	if errors.Is(err, pgx.ErrNoRows) {
		return opencredit.PII{}, opencredit.Errorf(opencredit.ENOTFOUND, "no subject %s", id)
	}
	if err != nil {
		return opencredit.PII{}, internal("reading PII", err)
	}
	if deleted != nil {
		return opencredit.PII{}, opencredit.Errorf(opencredit.ENOTFOUND, "subject %s was erased", id)
	}
	return db.keys.Open(sealed, id)
}

// SubjectByNationalID finds a live subject through the keyed hash of a
// national id; erasure clears the hash, so an erased subject is not found.
func (db *DB) SubjectByNationalID(ctx context.Context, nationalID string) (string, error) {
	hash := db.keys.NationalIDHash(nationalID)
	if hash == nil {
		return "", opencredit.Errorf(opencredit.EINVALID, "the national id is empty")
	}
	var id string
	err := db.pool.QueryRow(ctx, `SELECT id FROM subjects WHERE national_id_hash = $1`, hash).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", opencredit.Errorf(opencredit.ENOTFOUND, "no subject has this national id")
	}
	if err != nil {
		return "", internal("looking up a national id", err)
	}
	return id, nil
}

// DeleteSubject erases a subject's PII, events, feature state, disputes
// and reviews, withdraws its consents at at and records the erasure; the
// subject row stays as a tombstone. Erasing an erased subject does nothing. The subject's row is
// locked first, as Ingest locks it, so no batch for the subject can commit
// events or features between the erasure's reads and writes.
func (db *DB) DeleteSubject(ctx context.Context, id string, at time.Time) error {
	if err := opencredit.CheckTime("erasure time", at); err != nil {
		return err
	}
	return db.write(ctx, func(tx pgx.Tx) error {
		s, err := loadSubject(ctx, tx, id, "FOR NO KEY UPDATE")
		if err != nil {
			return err
		}
		if s.DeletedAt != nil {
			return nil
		}
		tag, err := tx.Exec(ctx, `DELETE FROM events WHERE subject = $1`, id)
		if err != nil {
			return internal("erasing events", err)
		}
		events := tag.RowsAffected()
		if _, err := tx.Exec(ctx, `DELETE FROM feature_states WHERE subject = $1`, id); err != nil {
			return internal("erasing features", err)
		}
		// A dispute's comment and a review's are the person's words: erased
		// with the events they are about. The audit records of them stay.
		for _, table := range []string{"disputes", "reviews"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE subject = $1`, id); err != nil {
				return internal("erasing "+table, err)
			}
		}
		tag, err = tx.Exec(ctx, `UPDATE consents SET withdrawn_at = $1 WHERE subject = $2 AND withdrawn_at IS NULL`, ts(at), id)
		if err != nil {
			return internal("withdrawing consents", err)
		}
		consents := tag.RowsAffected()
		if _, err := tx.Exec(ctx, `UPDATE consent_version SET version = version + 1 WHERE id = 1`); err != nil {
			return internal("withdrawing consents", err) // see consentcache.go
		}
		if _, err := tx.Exec(ctx, `UPDATE subjects SET pii = NULL, national_id_hash = NULL, deleted_at = $1 WHERE id = $2`, ts(at), id); err != nil {
			return internal("erasing PII", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO erasures (subject, erased_at, events_deleted, consents_withdrawn) VALUES ($1, $2, $3, $4)`,
			id, ts(at), events, consents); err != nil {
			return internal("recording the erasure", err)
		}
		return nil
	})
}

// subjectsPage bounds how many subjects Subjects reads at a time, so fn may
// use the store and no statement stays open for long.
const subjectsPage = 1000

// Subjects calls fn for every subject that is not erased, in id order (byte
// order, the "C" collation of the id column).
func (db *DB) Subjects(ctx context.Context, fn func(opencredit.Subject) error) error {
	after := "" // ids are never empty, so every id sorts after ""
	for {
		rows, err := db.pool.Query(ctx, `SELECT id, created_at FROM subjects
WHERE id > $1 AND deleted_at IS NULL ORDER BY id LIMIT $2`, after, subjectsPage)
		if err != nil {
			return internal("listing subjects", err)
		}
		page, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (opencredit.Subject, error) {
			var s opencredit.Subject
			var created int64
			err := r.Scan(&s.ID, &created)
			s.CreatedAt = fromTS(created)
			return s, err
		})
		if err != nil {
			return internal("listing subjects", err)
		}
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
