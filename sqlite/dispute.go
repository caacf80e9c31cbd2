package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dispute"
)

const disputeColumns = `id, subject, source, event_id, comment, opened_at, status, resolved_at, note, resolver, original`

func scanDispute(row interface{ Scan(...any) error }) (opencredit.Dispute, error) {
	var d opencredit.Dispute
	var opened int64
	var resolved sql.NullInt64
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

// OpenDispute records an open dispute of one of the subject's unsuppressed events.
func (db *DB) OpenDispute(ctx context.Context, d opencredit.Dispute) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if d.Status != opencredit.DisputeOpen {
		return opencredit.Errorf(opencredit.EINVALID, "a dispute opens as %s, not %s", opencredit.DisputeOpen, d.Status)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	if err := liveSubject(ctx, tx, d.Subject); err != nil {
		return err
	}
	var suppressed bool
	err = tx.QueryRowContext(ctx, `SELECT suppressed FROM events WHERE source = ? AND id = ? AND subject = ?`,
		d.Source, d.EventID, d.Subject).Scan(&suppressed)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && suppressed) {
		return opencredit.Errorf(opencredit.ENOTFOUND, "subject %s has no scored event %s from %s", d.Subject, d.EventID, d.Source)
	}
	if err != nil {
		return internal("reading the disputed event", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM disputes WHERE id = ?
   OR (source = ? AND event_id = ? AND status IN ('open', 'suppressed'))`, d.ID, d.Source, d.EventID).Scan(&n); err != nil {
		return internal("looking up disputes", err)
	}
	if n > 0 {
		return opencredit.Errorf(opencredit.ECONFLICT, "event %s from %s is disputed already (or dispute id %s is taken)", d.EventID, d.Source, d.ID)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO disputes (id, subject, source, event_id, comment, opened_at, status)
VALUES (?, ?, ?, ?, ?, ?, ?)`, d.ID, d.Subject, d.Source, d.EventID, d.Comment, ts(d.OpenedAt), d.Status); err != nil {
		return internal("recording a dispute", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// Dispute returns one dispute.
func (db *DB) Dispute(ctx context.Context, id string) (opencredit.Dispute, error) {
	return loadDispute(ctx, db.r, id)
}

func loadDispute(ctx context.Context, q queryer, id string) (opencredit.Dispute, error) {
	d, err := scanDispute(q.QueryRowContext(ctx, `SELECT `+disputeColumns+` FROM disputes WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
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
	for _, c := range []struct{ col, v string }{{"subject", f.Subject}, {"source", f.Source}, {"status", f.Status}} {
		if c.v != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if !f.OpenedBefore.IsZero() {
		where = append(where, "opened_at < ?")
		args = append(args, ts(f.OpenedBefore))
	}
	q := `SELECT ` + disputeColumns + ` FROM disputes`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	// Prepared once per filter shape (at most 16): a score asks for its
	// subject's open disputes, and parsing cost more than the lookup.
	st, err := db.stmt(ctx, q+" ORDER BY opened_at, id")
	if err != nil {
		return nil, internal("listing disputes", err)
	}
	rows, err := st.QueryContext(ctx, args...)
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
func (db *DB) ResolveDispute(ctx context.Context, r opencredit.DisputeResolution) (opencredit.Dispute, error) {
	if err := dispute.CheckResolution(r); err != nil {
		return opencredit.Dispute{}, err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return opencredit.Dispute{}, internal("begin", err)
	}
	defer tx.Rollback()
	d, err := loadDispute(ctx, tx, r.ID)
	if err != nil {
		return d, err
	}
	var old opencredit.StoredEvent
	var at int64
	var data []byte
	err = tx.QueryRowContext(ctx, `SELECT type, time, content_type, data FROM events WHERE source = ? AND id = ? AND subject = ?`,
		d.Source, d.EventID, d.Subject).Scan(&old.Type, &at, &old.DataContentType, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return d, opencredit.Errorf(opencredit.ENOTFOUND, "the event %s from %s of dispute %s is no longer held", d.EventID, d.Source, d.ID)
	}
	if err != nil {
		return d, internal("reading the disputed event", err)
	}
	old.SpecVersion, old.ID, old.Source, old.Subject, old.Time, old.Data = opencredit.SpecVersion, d.EventID, d.Source, d.Subject, fromTS(at), data
	ch, err := dispute.Resolve(d, old.Event, r)
	if err != nil {
		return d, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE events SET time = ?, data = ?, suppressed = ? WHERE source = ? AND id = ?`,
		ts(ch.Event.Time), []byte(ch.Event.Data), ch.Suppressed, d.Source, d.EventID); err != nil {
		return d, internal("changing the disputed event", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE disputes SET status = ?, resolved_at = ?, note = ?, resolver = ?, original = ?
WHERE id = ? AND status = ?`, ch.Dispute.Status, ts(*ch.Dispute.ResolvedAt), ch.Dispute.Note, ch.Dispute.Resolver,
		nullBytes(ch.Dispute.Original), d.ID, d.Status)
	if err != nil {
		return d, internal("resolving a dispute", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return d, opencredit.Errorf(opencredit.ECONFLICT, "dispute %s changed while it was being resolved", d.ID)
	}
	if err := db.rebuild(ctx, tx, d.Subject); err != nil {
		return d, err
	}
	if err := tx.Commit(); err != nil {
		return d, internal("commit", err)
	}
	return ch.Dispute, nil
}

func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
