package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dispute"
)

const disputeColumns = `id, subject, source, event_id, comment, opened_at, status, resolved_at, note, resolver, original`

func scanDispute(row pgx.Row) (opencredit.Dispute, error) {
	var d opencredit.Dispute
	var opened int64
	var resolved *int64
	var original []byte
	if err := row.Scan(&d.ID, &d.Subject, &d.Source, &d.EventID, &d.Comment, &opened, &d.Status, &resolved, &d.Note, &d.Resolver, &original); err != nil {
		return d, err
	}
	d.OpenedAt, d.ResolvedAt = fromTS(opened), fromNullTS(resolved)
	if len(original) > 0 {
		d.Original = json.RawMessage(original)
	}
	return d, nil
}

// OpenDispute records an open dispute of one of the subject's unsuppressed
// events. The subject's row is locked first, as Ingest and erasure lock it;
// two disputes of one event opened at once meet in the partial unique index.
func (db *DB) OpenDispute(ctx context.Context, d opencredit.Dispute) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if d.Status != opencredit.DisputeOpen {
		return opencredit.Errorf(opencredit.EINVALID, "a dispute opens as %s, not %s", opencredit.DisputeOpen, d.Status)
	}
	conflict := opencredit.Errorf(opencredit.ECONFLICT, "event %s from %s is disputed already (or dispute id %s is taken)", d.EventID, d.Source, d.ID)
	return db.write(ctx, func(tx pgx.Tx) error {
		if err := liveSubject(ctx, tx, d.Subject, "FOR NO KEY UPDATE"); err != nil {
			return err
		}
		var suppressed bool
		err := tx.QueryRow(ctx, `SELECT suppressed FROM events WHERE source = $1 AND id = $2 AND subject = $3`,
			d.Source, d.EventID, d.Subject).Scan(&suppressed)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && suppressed) {
			return opencredit.Errorf(opencredit.ENOTFOUND, "subject %s has no scored event %s from %s", d.Subject, d.EventID, d.Source)
		}
		if err != nil {
			return internal("reading the disputed event", err)
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM disputes WHERE id = $1
   OR (source = $2 AND event_id = $3 AND status IN ('open', 'suppressed'))`, d.ID, d.Source, d.EventID).Scan(&n); err != nil {
			return internal("looking up disputes", err)
		}
		if n > 0 {
			return conflict
		}
		_, err = tx.Exec(ctx, `INSERT INTO disputes (id, subject, source, event_id, comment, opened_at, status)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, d.ID, d.Subject, d.Source, d.EventID, d.Comment, ts(d.OpenedAt), d.Status)
		if sqlState(err) == uniqueViolation {
			return conflict
		}
		if err != nil {
			return internal("recording a dispute", err)
		}
		return nil
	})
}

// Dispute returns one dispute.
func (db *DB) Dispute(ctx context.Context, id string) (opencredit.Dispute, error) {
	return loadDispute(ctx, db.pool, id, "")
}

func loadDispute(ctx context.Context, q querier, id, lock string) (opencredit.Dispute, error) {
	d, err := scanDispute(q.QueryRow(ctx, `SELECT `+disputeColumns+` FROM disputes WHERE id = $1 `+lock, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return d, opencredit.Errorf(opencredit.ENOTFOUND, "no dispute %s", id)
	}
	if err != nil {
		return d, internal("reading a dispute", err)
	}
	return d, nil
}

// Disputes lists the disputes f selects, oldest first.
func (db *DB) Disputes(ctx context.Context, f opencredit.DisputeFilter) ([]opencredit.Dispute, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1))
	}
	for _, c := range []struct{ col, v string }{{"subject", f.Subject}, {"source", f.Source}, {"status", f.Status}} {
		if c.v != "" {
			add(c.col+" = ?", c.v)
		}
	}
	if !f.OpenedBefore.IsZero() {
		add("opened_at < ?", ts(f.OpenedBefore))
	}
	q := `SELECT ` + disputeColumns + ` FROM disputes`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := db.pool.Query(ctx, q+" ORDER BY opened_at, id", args...)
	if err != nil {
		return nil, internal("listing disputes", err)
	}
	defer rows.Close()
	out := []opencredit.Dispute{}
	for rows.Next() {
		d, err := scanDispute(rows)
		if err != nil {
			return nil, internal("listing disputes", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("listing disputes", err)
	}
	return out, nil
}

// ResolveDispute resolves a pending dispute, changes its event as the
// outcome says and rebuilds the subject's features, in one transaction.
// The subject's row is locked before the dispute's and the event's, in the
// order Ingest takes them.
func (db *DB) ResolveDispute(ctx context.Context, r opencredit.DisputeResolution) (opencredit.Dispute, error) {
	if err := dispute.CheckResolution(r); err != nil {
		return opencredit.Dispute{}, err
	}
	var out opencredit.Dispute
	err := db.write(ctx, func(tx pgx.Tx) error {
		d, err := loadDispute(ctx, tx, r.ID, "")
		if err != nil {
			return err
		}
		if _, err := loadSubject(ctx, tx, d.Subject, "FOR NO KEY UPDATE"); err != nil {
			return err
		}
		if d, err = loadDispute(ctx, tx, r.ID, "FOR UPDATE"); err != nil { // as it is now that we hold the locks
			return err
		}
		var old opencredit.Event
		var at int64
		var data []byte
		err = tx.QueryRow(ctx, `SELECT type, time, content_type, data FROM events WHERE source = $1 AND id = $2 AND subject = $3`,
			d.Source, d.EventID, d.Subject).Scan(&old.Type, &at, &old.DataContentType, &data)
		if errors.Is(err, pgx.ErrNoRows) {
			return opencredit.Errorf(opencredit.ENOTFOUND, "the event %s from %s of dispute %s is no longer held", d.EventID, d.Source, d.ID)
		}
		if err != nil {
			return internal("reading the disputed event", err)
		}
		old.SpecVersion, old.ID, old.Source, old.Subject, old.Time, old.Data = opencredit.SpecVersion, d.EventID, d.Source, d.Subject, fromTS(at), data
		ch, err := dispute.Resolve(d, old, r)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE events SET time = $1, data = $2, suppressed = $3 WHERE source = $4 AND id = $5`,
			ts(ch.Event.Time), []byte(ch.Event.Data), ch.Suppressed, d.Source, d.EventID); err != nil {
			return internal("changing the disputed event", err)
		}
		var original []byte
		if len(ch.Dispute.Original) > 0 {
			original = ch.Dispute.Original
		}
		if _, err := tx.Exec(ctx, `UPDATE disputes SET status = $1, resolved_at = $2, note = $3, resolver = $4, original = $5 WHERE id = $6`,
			ch.Dispute.Status, ts(*ch.Dispute.ResolvedAt), ch.Dispute.Note, ch.Dispute.Resolver, original, d.ID); err != nil {
			return internal("resolving a dispute", err)
		}
		if err := db.rebuild(ctx, tx, d.Subject); err != nil {
			return err
		}
		out = ch.Dispute
		return nil
	})
	return out, err
}
