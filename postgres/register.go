package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/opencredit/opencredit"
)

// Register creates subjects without PII and grants consents, all in one
// transaction with one statement each; existing ones are left as they are
// (opencredit.Registrar).
func (db *DB) Register(ctx context.Context, subjects []string, at time.Time, consents []opencredit.Consent) error {
	if err := opencredit.CheckTime("creation time", at); err != nil {
		return err
	}
	ids := make([]string, len(subjects))
	created := make([]int64, len(subjects))
	sealed := make([][]byte, len(subjects))
	for i, id := range subjects {
		if err := opencredit.CheckID("subject id", id); err != nil {
			return err
		}
		s, err := db.keys.Seal(opencredit.PII{}, id)
		if err != nil {
			return err
		}
		ids[i], created[i], sealed[i] = id, ts(at), s
	}
	var cs, cc, cp []string
	var cg []int64
	var cw []*int64
	for _, c := range consents {
		if err := c.Validate(); err != nil {
			return err
		}
		cs, cc, cp = append(cs, c.Subject), append(cc, c.Counterparty), append(cp, c.Purpose)
		cg, cw = append(cg, ts(c.GrantedAt)), append(cw, nullTS(c.WithdrawnAt))
	}
	return db.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO subjects (id, created_at, pii)
SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[]) ON CONFLICT (id) DO NOTHING`, ids, created, sealed); err != nil {
			return internal("registering subjects", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO consents (subject, counterparty, purpose, granted_at, withdrawn_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
ON CONFLICT (subject, counterparty, purpose, granted_at) DO NOTHING`, cs, cc, cp, cg, cw); err != nil {
			return internal("registering consents (every consent's subject must be registered)", err)
		}
		return nil
	})
}
