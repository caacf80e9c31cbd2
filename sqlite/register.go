package sqlite

import (
	"context"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
)

// registerChunk rows per INSERT: under SQLite's limit of 32,766 parameters.
const registerChunk = 1000

// Register creates subjects without PII and grants consents, all in one
// transaction; existing ones are left as they are (opencredit.Registrar).
func (db *DB) Register(ctx context.Context, subjects []string, at time.Time, consents []opencredit.Consent) error {
	if err := opencredit.CheckTime("creation time", at); err != nil {
		return err
	}
	for _, id := range subjects {
		if err := opencredit.CheckID("subject id", id); err != nil {
			return err
		}
	}
	for _, c := range consents {
		if err := c.Validate(); err != nil {
			return err
		}
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	for i := 0; i < len(subjects); i += registerChunk {
		part := subjects[i:min(i+registerChunk, len(subjects))]
		var b strings.Builder
		b.WriteString("INSERT INTO subjects (id, created_at, pii) VALUES ")
		values(&b, len(part), 3)
		b.WriteString(" ON CONFLICT (id) DO NOTHING")
		args := make([]any, 0, 3*len(part))
		for _, id := range part {
			sealed, err := db.keys.Seal(opencredit.PII{}, id)
			if err != nil {
				return err
			}
			args = append(args, id, ts(at), sealed)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return internal("registering subjects", err)
		}
	}
	for i := 0; i < len(consents); i += registerChunk {
		part := consents[i:min(i+registerChunk, len(consents))]
		var b strings.Builder
		b.WriteString("INSERT INTO consents (subject, counterparty, purpose, granted_at, withdrawn_at) VALUES ")
		values(&b, len(part), 5)
		b.WriteString(" ON CONFLICT (subject, counterparty, purpose, granted_at) DO NOTHING")
		args := make([]any, 0, 5*len(part))
		for _, c := range part {
			args = append(args, c.Subject, c.Counterparty, c.Purpose, ts(c.GrantedAt), nullTS(c.WithdrawnAt))
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return internal("registering consents (every consent's subject must be registered)", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}
