package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/opencredit/opencredit"
)

const reviewColumns = `id, subject, decision_id, lender, purpose, outcome, score, comment, requested_at, status, resolved_at, note, resolver`

func scanReview(row pgx.Row) (opencredit.Review, error) {
	var r opencredit.Review
	var requested int64
	var resolved *int64
	err := row.Scan(&r.ID, &r.Subject, &r.DecisionID, &r.Lender, &r.Purpose, &r.Outcome, &r.Score, &r.Comment,
		&requested, &r.Status, &resolved, &r.Note, &r.Resolver)
	r.RequestedAt, r.ResolvedAt = fromTS(requested), fromNullTS(resolved)
	return r, err
}

// RequestReview records a requested review of a decision about a live
// subject. Two requests for one decision at once meet in the partial
// unique index.
func (db *DB) RequestReview(ctx context.Context, r opencredit.Review) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.Status != opencredit.ReviewRequested {
		return opencredit.Errorf(opencredit.EINVALID, "a review starts as %s, not %s", opencredit.ReviewRequested, r.Status)
	}
	conflict := opencredit.Errorf(opencredit.ECONFLICT, "decision %d has a review requested already (or review id %s is taken)", r.DecisionID, r.ID)
	return db.write(ctx, func(tx pgx.Tx) error {
		if err := liveSubject(ctx, tx, r.Subject, "FOR NO KEY UPDATE"); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM reviews WHERE id = $1 OR (decision_id = $2 AND status = 'requested')`,
			r.ID, r.DecisionID).Scan(&n); err != nil {
			return internal("looking up reviews", err)
		}
		if n > 0 {
			return conflict
		}
		_, err := tx.Exec(ctx, `INSERT INTO reviews (id, subject, decision_id, lender, purpose, outcome, score, comment, requested_at, status)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, r.ID, r.Subject, r.DecisionID, r.Lender, r.Purpose, r.Outcome, r.Score, r.Comment,
			ts(r.RequestedAt), r.Status)
		if sqlState(err) == uniqueViolation {
			return conflict
		}
		if err != nil {
			return internal("recording a review", err)
		}
		return nil
	})
}

// Review returns one review.
func (db *DB) Review(ctx context.Context, id string) (opencredit.Review, error) {
	r, err := scanReview(db.pool.QueryRow(ctx, `SELECT `+reviewColumns+` FROM reviews WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
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
			args = append(args, c.v)
			where = append(where, c.col+" = $"+strconv.Itoa(len(args)))
		}
	}
	q := `SELECT ` + reviewColumns + ` FROM reviews`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := db.pool.Query(ctx, q+" ORDER BY requested_at, id", args...)
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
	tag, err := db.pool.Exec(ctx, `UPDATE reviews SET status = $1, note = $2, resolver = $3, resolved_at = $4
WHERE id = $5 AND status = 'requested'`, status, note, resolver, ts(at), id)
	if err != nil {
		return opencredit.Review{}, internal("resolving a review", err)
	}
	r, err := db.Review(ctx, id)
	if err != nil {
		return r, err
	}
	if tag.RowsAffected() != 1 {
		return r, opencredit.Errorf(opencredit.ECONFLICT, "review %s was resolved already (%s)", id, r.Status)
	}
	return r, nil
}
