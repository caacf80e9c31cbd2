package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/opencredit/opencredit"
)

// GrantConsent records a consent of a live subject. Granting the same
// consent at the same time again changes nothing.
func (db *DB) GrantConsent(ctx context.Context, c opencredit.Consent) error {
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	if err := liveSubject(ctx, tx, c.Subject); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO consents (subject, counterparty, purpose, granted_at, withdrawn_at)
VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject, counterparty, purpose, granted_at) DO NOTHING`,
		c.Subject, c.Counterparty, c.Purpose, ts(c.GrantedAt), nullTS(c.WithdrawnAt)); err != nil {
		return internal("granting consent", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// WithdrawConsent ends, at at, every open consent of subject to
// counterparty for purpose; ENOTFOUND if there is none.
func (db *DB) WithdrawConsent(ctx context.Context, subject, counterparty, purpose string, at time.Time) error {
	if err := opencredit.CheckTime("consent withdrawal time", at); err != nil {
		return err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE consents SET withdrawn_at = ?
WHERE subject = ? AND counterparty = ? AND purpose = ? AND withdrawn_at IS NULL`, ts(at), subject, counterparty, purpose)
	if err != nil {
		return internal("withdrawing consent", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return opencredit.Errorf(opencredit.ENOTFOUND, "subject %s has no open %s consent for %s", subject, purpose, counterparty)
	}
	// Inside the transaction, which holds the only writer connection, so
	// no ingestion can cache the consent as open again before the commit.
	db.cache.forget(subject)
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// Consents lists a subject's consents, withdrawn ones included, by grant time.
func (db *DB) Consents(ctx context.Context, subject string) ([]opencredit.Consent, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT counterparty, purpose, granted_at, withdrawn_at FROM consents
WHERE subject = ? ORDER BY granted_at, counterparty, purpose`, subject)
	if err != nil {
		return nil, internal("listing consents", err)
	}
	defer rows.Close()
	var out []opencredit.Consent
	for rows.Next() {
		c := opencredit.Consent{Subject: subject}
		var granted int64
		var withdrawn sql.NullInt64
		if err := rows.Scan(&c.Counterparty, &c.Purpose, &granted, &withdrawn); err != nil {
			return nil, internal("listing consents", err)
		}
		c.GrantedAt, c.WithdrawnAt = fromTS(granted), fromNullTS(withdrawn)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("listing consents", err)
	}
	if len(out) == 0 {
		if _, err := loadSubject(ctx, db.r, subject); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// HasConsent reports whether the subject's consent to counterparty for purpose holds at at.
func (db *DB) HasConsent(ctx context.Context, subject, counterparty, purpose string, at time.Time) (bool, error) {
	// The purpose is compared here, not bound in the statement: a bound
	// "purpose = ?" could match the partial index consents_furnishing, so
	// SQLite re-prepared the statement at every call to re-plan for the
	// value (a fifth of bench serve's CPU). A subject has few consents to
	// one counterparty.
	s, err := db.stmt(ctx, `SELECT purpose, granted_at, withdrawn_at FROM consents
WHERE subject = ? AND counterparty = ?`)
	if err != nil {
		return false, internal("checking consent", err)
	}
	rows, err := s.QueryContext(ctx, subject, counterparty)
	if err != nil {
		return false, internal("checking consent", err)
	}
	defer rows.Close()
	t := ts(at)
	found := false
	for rows.Next() {
		var p string
		var granted int64
		var withdrawn sql.NullInt64
		if err := rows.Scan(&p, &granted, &withdrawn); err != nil {
			return false, internal("checking consent", err)
		}
		if p == purpose && granted <= t && (!withdrawn.Valid || withdrawn.Int64 > t) {
			found = true
		}
	}
	if err := rows.Err(); err != nil {
		return false, internal("checking consent", err)
	}
	return found, nil
}
