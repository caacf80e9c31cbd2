package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
)

const reviewColumns = `id, subject, decision_id, lender, purpose, outcome, score, comment, requested_at, status, resolved_at, note, resolver`

func scanReview(row interface{ Scan(...any) error }) (opencredit.Review, error) {
	var r opencredit.Review
	var requested int64
	var resolved sql.NullInt64
	err := row.Scan(&r.ID, &r.Subject, &r.DecisionID, &r.Lender, &r.Purpose, &r.Outcome, &r.Score, &r.Comment,
		&requested, &r.Status, &resolved, &r.Note, &r.Resolver)
	r.RequestedAt, r.ResolvedAt = fromTS(requested), fromNullTS(resolved)
	return r, err
}

// RequestReview records a requested review of a decision about a live subject.
func (db *DB) RequestReview(ctx context.Context, r opencredit.Review) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.Status != opencredit.ReviewRequested {
		return opencredit.Errorf(opencredit.EINVALID, "a review starts as %s, not %s", opencredit.ReviewRequested, r.Status)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	if err := liveSubject(ctx, tx, r.Subject); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM reviews WHERE id = ? OR (decision_id = ? AND status = 'requested')`,
		r.ID, r.DecisionID).Scan(&n); err != nil {
		return internal("looking up reviews", err)
	}
	if n > 0 {
		return opencredit.Errorf(opencredit.ECONFLICT, "decision %d has a review requested already (or review id %s is taken)", r.DecisionID, r.ID)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO reviews (id, subject, decision_id, lender, purpose, outcome, score, comment, requested_at, status)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, r.Subject, r.DecisionID, r.Lender, r.Purpose, r.Outcome, r.Score, r.Comment,
		ts(r.RequestedAt), r.Status); err != nil {
		return internal("recording a review", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// Review returns one review.
func (db *DB) Review(ctx context.Context, id string) (opencredit.Review, error) {
	r, err := scanReview(db.r.QueryRowContext(ctx, `SELECT `+reviewColumns+` FROM reviews WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, opencredit.Errorf(opencredit.ENOTFOUND, "no review %s", id)
	}
	if err != nil {
		return r, internal("reading a review", err)
	}
	return r, nil
}

// Reviews lists the reviews f selects, oldest first.
func (db *DB) Reviews(ctx context.Context, f opencredit.ReviewFilter) ([]opencredit.Review, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"subject", f.Subject}, {"status", f.Status}} {
		if c.v != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	q := `SELECT ` + reviewColumns + ` FROM reviews`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := db.r.QueryContext(ctx, q+" ORDER BY requested_at, id", args...)
	if err != nil {
		return nil, internal("listing reviews", err)
	}
	defer rows.Close()
	out := []opencredit.Review{}
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			return nil, internal("listing reviews", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("listing reviews", err)
	}
	return out, nil
}

// ResolveReview resolves a requested review.
func (db *DB) ResolveReview(ctx context.Context, id, status, note, resolver string, at time.Time) (opencredit.Review, error) {
	if err := opencredit.CheckReviewResolution(status, note, resolver, at); err != nil {
		return opencredit.Review{}, err
	}
	res, err := db.w.ExecContext(ctx, `UPDATE reviews SET status = ?, note = ?, resolver = ?, resolved_at = ?
WHERE id = ? AND status = 'requested'`, status, note, resolver, ts(at), id)
	if err != nil {
		return opencredit.Review{}, internal("resolving a review", err)
	}
	n, _ := res.RowsAffected()
	r, err := db.Review(ctx, id)
	if err != nil {
		return r, err
	}
	if n != 1 {
		return r, opencredit.Errorf(opencredit.ECONFLICT, "review %s was resolved already (%s)", id, r.Status)
	}
	return r, nil
}
