package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/opencredit/opencredit"
)

// FreezeSubject puts a security freeze on a live subject's file from at.
func (db *DB) FreezeSubject(ctx context.Context, subject string, at time.Time) error {
	if err := opencredit.CheckTime("freeze time", at); err != nil {
		return err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	if err := liveSubject(ctx, tx, subject); err != nil {
		return err
	}
	var since sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(frozen_at) FROM freezes WHERE subject = ? AND lifted_at IS NULL`, subject).Scan(&since); err != nil {
		return internal("reading freezes", err)
	}
	if since.Valid {
		return opencredit.Errorf(opencredit.ECONFLICT, "subject %s is frozen already, since %s", subject, fromTS(since.Int64).Format(time.RFC3339))
	}
	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(lifted_at) FROM freezes WHERE subject = ?`, subject).Scan(&last); err != nil {
		return internal("reading freezes", err)
	}
	if last.Valid && ts(at) < last.Int64 {
		return opencredit.Errorf(opencredit.EINVALID, "a freeze of subject %s at %s would begin before the last one was lifted (%s)",
			subject, at.UTC().Format(time.RFC3339), fromTS(last.Int64).Format(time.RFC3339))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO freezes (subject, frozen_at) VALUES (?, ?)`, subject, ts(at)); err != nil {
		return internal("freezing", err)
	}
	return commit(tx)
}

// UnfreezeSubject lifts, at at, the freeze that holds on subject's file.
func (db *DB) UnfreezeSubject(ctx context.Context, subject string, at time.Time) error {
	if err := opencredit.CheckTime("unfreeze time", at); err != nil {
		return err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	if _, err := loadSubject(ctx, tx, subject); err != nil {
		return err
	}
	var since sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(frozen_at) FROM freezes WHERE subject = ? AND lifted_at IS NULL`, subject).Scan(&since); err != nil {
		return internal("reading freezes", err)
	}
	if !since.Valid {
		return opencredit.Errorf(opencredit.ECONFLICT, "subject %s is not frozen", subject)
	}
	if ts(at) < since.Int64 {
		return opencredit.Errorf(opencredit.EINVALID, "subject %s: a freeze cannot be lifted (%s) before it began (%s)",
			subject, at.UTC().Format(time.RFC3339), fromTS(since.Int64).Format(time.RFC3339))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE freezes SET lifted_at = ? WHERE subject = ? AND lifted_at IS NULL`, ts(at), subject); err != nil {
		return internal("lifting a freeze", err)
	}
	return commit(tx)
}

// Freezes lists a subject's freezes, lifted ones included, oldest first.
func (db *DB) Freezes(ctx context.Context, subject string) ([]opencredit.Freeze, error) {
	if _, err := loadSubject(ctx, db.r, subject); err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, `SELECT frozen_at, lifted_at FROM freezes WHERE subject = ? ORDER BY frozen_at`, subject)
	if err != nil {
		return nil, internal("listing freezes", err)
	}
	defer rows.Close()
	var out []opencredit.Freeze
	for rows.Next() {
		var frozen int64
		var lifted sql.NullInt64
		if err := rows.Scan(&frozen, &lifted); err != nil {
			return nil, internal("listing freezes", err)
		}
		out = append(out, opencredit.Freeze{Subject: subject, FrozenAt: fromTS(frozen), LiftedAt: fromNullTS(lifted)})
	}
	if err := rows.Err(); err != nil {
		return nil, internal("listing freezes", err)
	}
	return out, nil
}

// Frozen reports whether a freeze holds on the subject's file at at. It
// runs on every lender pull a freeze could block, so its statement is
// prepared once, and it reads the subject's freezes (few) by the primary
// key's prefix and compares the times in Go, like HasConsent, so that no
// bound value can make SQLite re-plan it.
func (db *DB) Frozen(ctx context.Context, subject string, at time.Time) (bool, error) {
	s, err := db.stmt(ctx, `SELECT frozen_at, lifted_at FROM freezes WHERE subject = ?`)
	if err != nil {
		return false, internal("checking freezes", err)
	}
	rows, err := s.QueryContext(ctx, subject)
	if err != nil {
		return false, internal("checking freezes", err)
	}
	defer rows.Close()
	t := ts(at)
	frozen := false
	for rows.Next() {
		var from int64
		var lifted sql.NullInt64
		if err := rows.Scan(&from, &lifted); err != nil {
			return false, internal("checking freezes", err)
		}
		frozen = frozen || (from <= t && (!lifted.Valid || lifted.Int64 > t))
	}
	if err := rows.Err(); err != nil {
		return false, internal("checking freezes", err)
	}
	return frozen, nil
}

func commit(tx *sql.Tx) error {
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}
