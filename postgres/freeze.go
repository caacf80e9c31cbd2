package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/opencredit/opencredit"
)

// FreezeSubject puts a security freeze on a live subject's file from at.
// The subject's row is locked FOR NO KEY UPDATE, so two freezes of one
// subject take turns and an erasure cannot commit in between.
func (db *DB) FreezeSubject(ctx context.Context, subject string, at time.Time) error {
	if err := opencredit.CheckTime("freeze time", at); err != nil {
		return err
	}
	return db.write(ctx, func(tx pgx.Tx) error {
		if err := liveSubject(ctx, tx, subject, "FOR NO KEY UPDATE"); err != nil {
			return err
		}
		var open, last *int64
		if err := tx.QueryRow(ctx, `SELECT max(frozen_at) FILTER (WHERE lifted_at IS NULL), max(lifted_at) FROM freezes WHERE subject = $1`,
			subject).Scan(&open, &last); err != nil {
			return internal("reading freezes", err)
		}
		if open != nil {
			return opencredit.Errorf(opencredit.ECONFLICT, "subject %s is frozen already, since %s", subject, fromTS(*open).Format(time.RFC3339))
		}
		if last != nil && ts(at) < *last {
			return opencredit.Errorf(opencredit.EINVALID, "a freeze of subject %s at %s would begin before the last one was lifted (%s)",
				subject, at.UTC().Format(time.RFC3339), fromTS(*last).Format(time.RFC3339))
		}
		if _, err := tx.Exec(ctx, `INSERT INTO freezes (subject, frozen_at) VALUES ($1, $2)`, subject, ts(at)); err != nil {
			return internal("freezing", err)
		}
		return nil
	})
}

// UnfreezeSubject lifts, at at, the freeze that holds on subject's file.
func (db *DB) UnfreezeSubject(ctx context.Context, subject string, at time.Time) error {
	if err := opencredit.CheckTime("unfreeze time", at); err != nil {
		return err
	}
	return db.write(ctx, func(tx pgx.Tx) error {
		if _, err := loadSubject(ctx, tx, subject, "FOR NO KEY UPDATE"); err != nil {
			return err
		}
		var open *int64
		if err := tx.QueryRow(ctx, `SELECT max(frozen_at) FROM freezes WHERE subject = $1 AND lifted_at IS NULL`, subject).Scan(&open); err != nil {
			return internal("reading freezes", err)
		}
		if open == nil {
			return opencredit.Errorf(opencredit.ECONFLICT, "subject %s is not frozen", subject)
		}
		if ts(at) < *open {
			return opencredit.Errorf(opencredit.EINVALID, "subject %s: a freeze cannot be lifted (%s) before it began (%s)",
				subject, at.UTC().Format(time.RFC3339), fromTS(*open).Format(time.RFC3339))
		}
		if _, err := tx.Exec(ctx, `UPDATE freezes SET lifted_at = $1 WHERE subject = $2 AND lifted_at IS NULL`, ts(at), subject); err != nil {
			return internal("lifting a freeze", err)
		}
		return nil
	})
}

// Freezes lists a subject's freezes, lifted ones included, oldest first.
func (db *DB) Freezes(ctx context.Context, subject string) ([]opencredit.Freeze, error) {
	if _, err := loadSubject(ctx, db.pool, subject, ""); err != nil {
		return nil, err
	}
	rows, err := db.pool.Query(ctx, `SELECT frozen_at, lifted_at FROM freezes WHERE subject = $1 ORDER BY frozen_at`, subject)
	if err != nil {
		return nil, internal("listing freezes", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (opencredit.Freeze, error) {
		var frozen int64
		var lifted *int64
		err := r.Scan(&frozen, &lifted)
		return opencredit.Freeze{Subject: subject, FrozenAt: fromTS(frozen), LiftedAt: fromNullTS(lifted)}, err
	})
	if err != nil {
		return nil, internal("listing freezes", err)
	}
	return out, nil
}

// Frozen reports whether a freeze holds on the subject's file at at.
func (db *DB) Frozen(ctx context.Context, subject string, at time.Time) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM freezes
WHERE subject = $1 AND frozen_at <= $2 AND (lifted_at IS NULL OR lifted_at > $2))`, subject, ts(at)).Scan(&ok)
	if err != nil {
		return false, internal("checking freezes", err)
	}
	return ok, nil
}
