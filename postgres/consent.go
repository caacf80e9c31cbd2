package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/opencredit/opencredit"
)

// GrantConsent records a consent of a live subject. Granting the same
// consent at the same time again changes nothing. One statement reads the
// subject's row FOR SHARE and inserts, so an erasure cannot commit between
// the check and the insert, and registering many consents costs one round
// trip each.
func (db *DB) GrantConsent(ctx context.Context, c opencredit.Consent) error {
	if err := c.Validate(); err != nil {
		return err
	}
	var live bool
	err := db.pool.QueryRow(ctx, `WITH s AS (SELECT deleted_at FROM subjects WHERE id = $1 FOR SHARE),
ins AS (
    INSERT INTO consents (subject, counterparty, purpose, granted_at, withdrawn_at)
    SELECT $1, $2, $3, $4, $5 FROM s WHERE s.deleted_at IS NULL
    ON CONFLICT (subject, counterparty, purpose, granted_at) DO NOTHING
)
SELECT deleted_at IS NULL FROM s`, c.Subject, c.Counterparty, c.Purpose, ts(c.GrantedAt), nullTS(c.WithdrawnAt)).Scan(&live)
	if errors.Is(err, pgx.ErrNoRows) {
		return opencredit.Errorf(opencredit.ENOTFOUND, "no subject %s", c.Subject)
	}
	if err != nil {
		return internal("granting consent", err)
	}
	if !live {
		return opencredit.Errorf(opencredit.ENOTFOUND, "subject %s was erased", c.Subject)
	}
	return nil
}

// WithdrawConsent ends, at at, every open consent of subject to
// counterparty for purpose; ENOTFOUND if there is none.
func (db *DB) WithdrawConsent(ctx context.Context, subject, counterparty, purpose string, at time.Time) error {
	if err := opencredit.CheckTime("consent withdrawal time", at); err != nil {
		return err
	}
	// One statement ends the consents and bumps consent_version (see
	// consentcache.go), so the two commit together.
	var n int64
	err := db.pool.QueryRow(ctx, `WITH w AS (
    UPDATE consents SET withdrawn_at = $1
    WHERE subject = $2 AND counterparty = $3 AND purpose = $4 AND withdrawn_at IS NULL RETURNING 1
), v AS (
    UPDATE consent_version SET version = version + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM w)
)
SELECT count(*) FROM w`, ts(at), subject, counterparty, purpose).Scan(&n)
	if err != nil {
		return internal("withdrawing consent", err)
	}
	if n == 0 {
		return opencredit.Errorf(opencredit.ENOTFOUND, "subject %s has no open %s consent for %s", subject, purpose, counterparty)
	}
	return nil
}

// Consents lists a subject's consents, withdrawn ones included, by grant
// time; ENOTFOUND for an unknown subject.
func (db *DB) Consents(ctx context.Context, subject string) ([]opencredit.Consent, error) {
	rows, err := db.pool.Query(ctx, `SELECT counterparty, purpose, granted_at, withdrawn_at FROM consents
WHERE subject = $1 ORDER BY granted_at, counterparty, purpose`, subject)
	if err != nil {
		return nil, internal("listing consents", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (opencredit.Consent, error) {
		c := opencredit.Consent{Subject: subject}
		var granted int64
		var withdrawn *int64
		err := r.Scan(&c.Counterparty, &c.Purpose, &granted, &withdrawn)
		c.GrantedAt, c.WithdrawnAt = fromTS(granted), fromNullTS(withdrawn)
		return c, err
	})
	if err != nil {
		return nil, internal("listing consents", err)
	}
	if len(out) == 0 {
		if _, err := loadSubject(ctx, db.pool, subject, ""); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// HasConsent reports whether the subject's consent to counterparty for
// purpose holds at at.
func (db *DB) HasConsent(ctx context.Context, subject, counterparty, purpose string, at time.Time) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM consents
WHERE subject = $1 AND counterparty = $2 AND purpose = $3 AND granted_at <= $4 AND (withdrawn_at IS NULL OR withdrawn_at > $4))`,
		subject, counterparty, purpose, ts(at)).Scan(&ok)
	if err != nil {
		return false, internal("checking consent", err)
	}
	return ok, nil
}
